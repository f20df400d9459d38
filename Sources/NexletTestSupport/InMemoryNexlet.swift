import Foundation
import NATSKit
import Nexlet
import NexProtocol
import Synchronization

/// The in-memory test nexlet (Go: `_test/nexlet_inmem`): it "runs" workloads by remembering them, per
/// namespace. It implements every operation of the protocol, including function triggers on the subject equal
/// to the workload id (replying `Function executed successfully`) and ingress discovery, plus hooks for tests:
/// inject failures, count calls, inspect and seed the stored workloads, publish workload output.
///
/// Run it with `NexletRunner(runtime: InMemoryNexlet())`.
public final class InMemoryNexlet: NexletFunctionRuntime, NexletWorkloadDiscovery, NexletSealedPayloadRecipient, Sendable {
    /// What a function trigger replies.
    public static let functionReply = "Function executed successfully"

    public let registration: NexletRegistration
    /// The seed of `registration.publicXkey`: the node seals start requests to it (nil: the clear form).
    public let sealingKey: NexletXKey?
    private let state = Mutex(State())

    /// One remembered workload.
    public struct Workload: Sendable, Equatable {
        public var id: String
        /// The definition as received (with the name filled in when it was empty).
        public var request: StartWorkloadRequest
        /// The workload credentials from the start request.
        public var credentials: NatsConnectionData
        public var startTime: GoTime
        /// True when it was replayed from the node's `existing_state`.
        public var replayed: Bool

        public var namespace: String { request.namespace }
        public var name: String { request.name }
    }

    /// Calls seen so far (test hook).
    public struct Counters: Sendable, Equatable {
        /// Starts begun (counted before the start delay), successful or not.
        public var startsBegun = 0
        /// Successful starts, including replays.
        public var starts = 0
        /// Successful starts with `replayed == true`.
        public var replays = 0
        public var stops = 0
        public var triggers = 0
        public var lameducks = 0
        /// Attach/detach calls by the runner.
        public var attaches = 0
        public var detaches = 0
    }

    private struct State {
        var workloads: [String: [String: Workload]] = [:]
        var host: NexletHost?
        var counters = Counters()
        var startFailures: [String] = []
        var stopFailures: [String] = []
        var lameduckFailures: [String] = []
        var triggerFailures: [String] = []
        var lameduckDelays: [Duration] = []
        var startDelay: Duration = .zero
    }

    /// Name `inmem`, register type `inmem` (configurable), version `0.0.0`, schema `{}`, lifecycles
    /// service/job/function, a fresh xkey (with `sealedPayloads`, the node seals start requests to it).
    public init(
        name: String = "inmem", registerType: String = "inmem", version: String = "0.0.0",
        description: String = "In memory no-op agent", startRequestSchema: String = "{}",
        supportedLifecycles: [WorkloadLifecycle] = [.service, .job, .function], maxWorkloads: Int = 0,
        sealedPayloads: Bool = true
    ) {
        let xkey = try? NexletXKey.generate()
        sealingKey = sealedPayloads ? xkey : nil
        registration = NexletRegistration(
            name: name, registerType: registerType, version: version, description: description,
            maxWorkloads: maxWorkloads, publicXkey: xkey?.publicKey ?? "",
            supportedLifecycles: supportedLifecycles, startRequestSchema: startRequestSchema)
    }

    // MARK: NexletRuntime

    public func attach(to host: NexletHost) async {
        state.withLock {
            $0.host = host
            $0.counters.attaches += 1
        }
    }

    public func detach() async {
        state.withLock {
            $0.host = nil
            $0.counters.detaches += 1
        }
    }

    public func start(workloadID: String, request: AgentStartWorkloadRequest, replayed: Bool) async throws -> StartWorkloadResponse {
        let delay = state.withLock { state in
            state.counters.startsBegun += 1
            return state.startDelay
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        var definition = request.request
        if definition.name.isEmpty { definition.name = workloadID }
        let workload = Workload(
            id: workloadID, request: definition, credentials: request.workloadCreds, startTime: .now(), replayed: replayed)
        try state.withLock { state throws(NexletError) in
            if !state.startFailures.isEmpty { throw .failed(state.startFailures.removeFirst()) }
            state.workloads[definition.namespace, default: [:]][workloadID] = workload
            state.counters.starts += 1
            if replayed { state.counters.replays += 1 }
        }
        return StartWorkloadResponse(id: workloadID, name: definition.name)
    }

    public func stop(workloadID: String, namespace: String) async throws {
        try state.withLock { state throws(NexletError) in
            if !state.stopFailures.isEmpty { throw .failed(state.stopFailures.removeFirst()) }
            guard var workloads = state.workloads[namespace] else { throw .namespaceNotFound }
            guard workloads.removeValue(forKey: workloadID) != nil else { throw .workloadNotFound }
            state.workloads[namespace] = workloads.isEmpty ? nil : workloads
            state.counters.stops += 1
        }
    }

    public func get(workloadID: String, targetXkey: String) async throws -> StartWorkloadRequest {
        guard let workload = workload(id: workloadID) else { throw NexletError.workloadNotFound }
        return workload.request
    }

    public func query(namespace: String, filter: [String]?) async throws -> [WorkloadSummary] {
        let query = AgentListWorkloadsRequest(namespace: namespace, filter: filter)
        let now = GoTime.now()
        return workloads
            .filter { namespace == NexConstants.systemNamespace || $0.namespace == namespace }
            .filter { query.keeps(id: $0.id, name: $0.name) }
            .map { workload in
                WorkloadSummary(
                    id: workload.id, name: workload.name, namespace: workload.namespace,
                    workloadType: registration.registerType, workloadLifecycle: workload.request.workloadLifecycle.rawValue,
                    workloadState: .running, startTime: workload.startTime.rfc3339Seconds,
                    runtime: now.duration(since: workload.startTime).description, tags: workload.request.tags,
                    metadata: ["extra": "metadata"])
            }
    }

    /// Forgets every workload at once, removing their triggers and emitting `WORKLOADSTOPPED` for each.
    public func setLameduck(delay: Duration) async throws {
        let (removed, host) = try state.withLock { state throws(NexletError) -> ([Workload], NexletHost?) in
            state.lameduckDelays.append(delay)
            if !state.lameduckFailures.isEmpty { throw .failed(state.lameduckFailures.removeFirst()) }
            let all = state.workloads.values.flatMap(\.values)
            state.workloads = [:]
            state.counters.lameducks += 1
            return (all, state.host)
        }
        for workload in removed {
            await host?.unregisterTrigger(workloadID: workload.id)
            await host?.emitWorkloadStopped(workloadID: workload.id, namespace: workload.namespace)
        }
    }

    public func summary() async -> NexletStatus {
        let (count, namespaces) = state.withLock { state in
            (state.workloads.values.reduce(0) { $0 + $1.count }, state.workloads.count)
        }
        let data = #"{"namespace_count":\#(namespaces),"register_type":"\#(registration.registerType)"}"#
        return NexletStatus(state: .running, workloadCount: count, data: data)
    }

    // MARK: Functions and discovery

    /// The workload id itself, as the Go in-memory nexlet.
    public func triggerSubject(workloadID: String, request: StartWorkloadRequest) -> String? {
        workloadID
    }

    public func trigger(_ invocation: TriggerInvocation) async throws -> Data {
        try state.withLock { state throws(NexletError) in
            state.counters.triggers += 1
            if !state.triggerFailures.isEmpty { throw .failed(state.triggerFailures.removeFirst()) }
        }
        return Data(Self.functionReply.utf8)
    }

    public func hasWorkload(_ workloadID: String) async -> Bool {
        workload(id: workloadID) != nil
    }

    // MARK: Test hooks

    /// Every stored workload, ordered by namespace and id.
    public var workloads: [Workload] {
        state.withLock { state in
            state.workloads.keys.sorted().flatMap { namespace in
                (state.workloads[namespace] ?? [:]).values.sorted { $0.id < $1.id }
            }
        }
    }

    /// The namespaces that hold workloads.
    public var namespaces: [String] { state.withLock { $0.workloads.keys.sorted() } }

    /// One stored workload, in any namespace.
    public func workload(id: String) -> Workload? {
        state.withLock { state in state.workloads.values.lazy.compactMap { $0[id] }.first }
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// The delays of every SETLAMEDUCK received.
    public var lameduckDelays: [Duration] { state.withLock { $0.lameduckDelays } }

    /// The host of the current run (nil before attach / after detach).
    public var host: NexletHost? { state.withLock { $0.host } }

    /// Makes the next start fail with `message` (queued: call twice for two failures).
    public func failNextStart(_ message: String = "injected start failure") {
        state.withLock { $0.startFailures.append(message) }
    }

    /// Makes the next stop fail with `message`.
    public func failNextStop(_ message: String = "injected stop failure") {
        state.withLock { $0.stopFailures.append(message) }
    }

    /// Makes the next lameduck fail with `message`.
    public func failNextLameduck(_ message: String = "injected lameduck failure") {
        state.withLock { $0.lameduckFailures.append(message) }
    }

    /// Makes the next function trigger fail with `message`.
    public func failNextTrigger(_ message: String = "injected trigger failure") {
        state.withLock { $0.triggerFailures.append(message) }
    }

    /// Makes every start take `delay` (to exercise concurrency).
    public func setStartDelay(_ delay: Duration) {
        state.withLock { $0.startDelay = delay }
    }

    /// Stores a workload directly, as if it had been started (Go's pre-seeded state).
    public func seed(workloadID: String, request: StartWorkloadRequest, credentials: NatsConnectionData = NatsConnectionData()) {
        let workload = Workload(id: workloadID, request: request, credentials: credentials, startTime: .now(), replayed: false)
        state.withLock { $0.workloads[request.namespace, default: [:]][workloadID] = workload }
    }

    /// Publishes `text` on a stored workload's stdout/stderr feed through the runner. False when the workload
    /// is unknown or the nexlet is not attached to a runner.
    @discardableResult
    public func publishOutput(workloadID: String, text: String, stream: NexProtocol.LogStream = .stdout) -> Bool {
        guard let workload = workload(id: workloadID), let host else { return false }
        host.publishOutput(Data(text.utf8), namespace: workload.namespace, workloadID: workloadID, stream: stream)
        return true
    }

    /// Ends a stored workload by itself (a job that finished, a service that gave up): forgets it, then
    /// announces `WORKLOADSTOPPED` through the runner. False when the workload is unknown.
    @discardableResult
    public func finish(workloadID: String) async -> Bool {
        let (ended, host) = state.withLock { state -> (Workload?, NexletHost?) in
            for namespace in state.workloads.keys {
                if let workload = state.workloads[namespace]?.removeValue(forKey: workloadID) { return (workload, state.host) }
            }
            return (nil, state.host)
        }
        guard let ended else { return false }
        await host?.emitWorkloadStopped(workloadID: workloadID, namespace: ended.namespace)
        return true
    }

    /// Publishes metrics for a stored workload through the runner.
    @discardableResult
    public func publishMetrics(workloadID: String, json: String) -> Bool {
        guard let workload = workload(id: workloadID), let host else { return false }
        host.publishMetrics(Data(json.utf8), namespace: workload.namespace, workloadID: workloadID)
        return true
    }
}
