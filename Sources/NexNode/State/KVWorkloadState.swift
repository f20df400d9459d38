import Foundation
import NATSKit
import NexProtocol

/// Desired workloads in the JetStream key-value bucket `nex-<nodeId>`: key `<workload_type>_<workloadId>`,
/// value = the `StartWorkloadRequest` JSON as the node received it (the reference's format, so a bucket
/// written by either implementation reads in the other). Every write waits for the server's acknowledgement.
public final class KVWorkloadState: WorkloadStateStore {
    public static let defaultMaxBytes: Int64 = 100_000_000
    /// Larger than the reference's 10,000 bytes, whose limit silently dropped big requests.
    public static let defaultMaxValueSize: Int32 = 1 << 20

    public let store: KeyValueStore

    public init(store: KeyValueStore) {
        self.store = store
    }

    /// Creates (or binds to) the node's bucket. `replicas` = 3 on a NATS cluster keeps state through the loss of
    /// a server.
    public static func open(connection: NatsConnection, nodeID: String, replicas: Int = 1) async throws -> KVWorkloadState {
        let js = try JetStream(connection)
        let bucket = StateKey.bucket(nodeID: nodeID)
        let config = KeyValueConfig(bucket: bucket, description: "nex desired workloads of node \(nodeID)", replicas: replicas,
                                    maxBytes: defaultMaxBytes, maxValueSize: defaultMaxValueSize)
        do {
            return KVWorkloadState(store: try await js.createKeyValue(config))
        } catch let error as NatsError where error.kind != .timeout && error.kind != .noResponders {
            // The bucket exists with another configuration (e.g. made by a Go node): use it as it is.
            if let existing = try? await js.keyValue(bucket) { return KVWorkloadState(store: existing) }
            throw error
        }
    }

    public func save(_ workload: StoredWorkload) async throws {
        let value = try GoJSON.encode(workload.request)
        // `create`: a workload id is written once; a conflict means two writers claimed the same id.
        try await store.create(StateKey.key(workloadType: workload.workloadType, workloadID: workload.workloadID), value)
    }

    public func remove(workloadType: String, workloadID: String) async throws {
        if workloadType.isEmpty {
            // Type unknown: find the key by id.
            for key in try await store.keys() where StateKey.parse(key)?.workloadID == workloadID {
                try await store.purge(key)
            }
            return
        }
        try await store.purge(StateKey.key(workloadType: workloadType, workloadID: workloadID))
    }

    public func workloads(ofType workloadType: String) async throws -> [StoredWorkload] {
        try await all().filter { $0.workloadType == workloadType }
    }

    public func all() async throws -> [StoredWorkload] {
        var result: [StoredWorkload] = []
        for entry in try await store.entries() {
            guard let (type, id) = StateKey.parse(entry.key),
                  let request = try? GoJSON.decode(StartWorkloadRequest.self, from: entry.value) else { continue }
            result.append(StoredWorkload(workloadID: id, workloadType: type, request: request))
        }
        return result
    }
}
