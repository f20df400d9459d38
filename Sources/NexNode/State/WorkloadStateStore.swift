import NexProtocol

/// A desired workload as the state store keeps it.
public struct StoredWorkload: Sendable, Equatable {
    public var workloadID: String
    public var workloadType: String
    public var request: StartWorkloadRequest

    public init(workloadID: String, workloadType: String, request: StartWorkloadRequest) {
        self.workloadID = workloadID
        self.workloadType = workloadType
        self.request = request
    }
}

/// Where the node keeps the workloads it should be running, so a restarted node brings them back.
/// Writes must be durable when they return: the node acknowledges a deploy only after `save` returned.
public protocol WorkloadStateStore: Sendable {
    /// Records a workload once its agent has started it, before the deploy is acknowledged to the client. When
    /// it throws, the node stops the workload again and the deploy fails.
    func save(_ workload: StoredWorkload) async throws
    /// Forgets a workload (stopped, failed to start, job finished, service gave up). Unknown ids are fine.
    func remove(workloadType: String, workloadID: String) async throws
    /// Every stored workload of `workloadType`.
    func workloads(ofType workloadType: String) async throws -> [StoredWorkload]
    /// Every stored workload.
    func all() async throws -> [StoredWorkload]
    /// Checks that the store answers, for the node's readiness (issue 14); has a default that does nothing.
    func probe() async throws
}

/// Keeps nothing (the default): workloads do not survive a node restart.
public struct NoWorkloadState: WorkloadStateStore {
    public init() {}
    public func save(_ workload: StoredWorkload) async throws {}
    public func remove(workloadType: String, workloadID: String) async throws {}
    public func workloads(ofType workloadType: String) async throws -> [StoredWorkload] { [] }
    public func all() async throws -> [StoredWorkload] { [] }
}

// issue 14: readiness
extension WorkloadStateStore {
    /// Stores that keep nothing remotely answer at once.
    public func probe() async throws {}
}
