import Foundation
import NATSKit
import NexProtocol

/// Desired workloads in the JetStream key-value bucket `nex-<nodeId>`: key `<workload_type>_<workloadId>`
/// (``StateKey``), value = the `StartWorkloadRequest` JSON it is given, in the reference's format. The node
/// wraps this store in ``SealedWorkloadState``, so the values it writes carry a sealed `run_request`: a Go node
/// reads the bucket's keys and definitions but cannot open those run requests. Every write waits for the
/// server's acknowledgement.
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

    /// Binds to the node's bucket without creating it (for tools that read a node's state, such as
    /// `nex state list`). A missing bucket throws the `NatsError` of kind `.notFound`; a server without
    /// JetStream throws one of kind `.noResponders`.
    public static func bind(connection: NatsConnection, nodeID: String) async throws -> KVWorkloadState {
        let js = try JetStream(connection)
        return KVWorkloadState(store: try await js.keyValue(StateKey.bucket(nodeID: nodeID)))
    }

    /// The bucket's name, `nex-<nodeId>`.
    public var bucket: String { store.bucket }

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

    // issue 14: readiness
    /// Reads a key no workload has (a key without `_` is never a ``StateKey``): the bucket answers or this throws.
    public func probe() async throws {
        _ = try await store.get("readiness-probe")
    }

    public func workloads(ofType workloadType: String) async throws -> [StoredWorkload] {
        try await all().filter { $0.workloadType == workloadType }
    }

    /// Every readable stored workload; values that are not workloads are skipped (``readAll()`` reports them).
    public func all() async throws -> [StoredWorkload] {
        try await readAll().workloads
    }

    /// A key of the bucket that does not hold a workload, and why.
    public struct UnreadableEntry: Sendable, Equatable {
        public enum Problem: Sendable, Equatable {
            /// The key is not `<workload_type>_<workloadId>`.
            case keyFormat
            /// The value is not a `StartWorkloadRequest`; the decoder's error text.
            case value(String)
        }

        public let key: String
        public let problem: Problem
    }

    /// Every stored workload and every key that could not be read as one, both in bucket order, so a tool can
    /// report what it skipped.
    public func readAll() async throws -> (workloads: [StoredWorkload], unreadable: [UnreadableEntry]) {
        var workloads: [StoredWorkload] = []
        var unreadable: [UnreadableEntry] = []
        for entry in try await store.entries() {
            guard let (type, id) = StateKey.parse(entry.key) else {
                unreadable.append(UnreadableEntry(key: entry.key, problem: .keyFormat))
                continue
            }
            do {
                let request = try GoJSON.decode(StartWorkloadRequest.self, from: entry.value)
                workloads.append(StoredWorkload(workloadID: id, workloadType: type, request: request))
            } catch {
                unreadable.append(UnreadableEntry(key: entry.key, problem: .value("\(error)")))
            }
        }
        return (workloads, unreadable)
    }

    /// The workload ids the bucket holds (of any type).
    public func storedWorkloadIDs() async throws -> Set<String> {
        Set(try await store.keys().compactMap { StateKey.parse($0)?.workloadID })
    }

    /// A write of ``replace(_:)`` that failed, naming the workload.
    public struct WriteError: Error, CustomStringConvertible {
        public let workloadID: String
        public let underlying: any Error
        public var description: String { "writing workload \(workloadID) failed: \(underlying)" }
    }

    /// Stores `workloads` (as they are: sealing is the caller's), each replacing whatever the bucket keeps
    /// under the same workload id, of any type. Unlike ``save(_:)``, which refuses an id that is already
    /// stored, this overwrites: it is how `nex state import` moves workloads between nodes. Stops at the
    /// first failure (a ``WriteError``); the workloads before it stay written.
    public func replace(_ workloads: [StoredWorkload]) async throws {
        let keys = try await store.keys()
        for workload in workloads {
            do {
                for key in keys where StateKey.parse(key)?.workloadID == workload.workloadID {
                    try await store.purge(key)
                }
                _ = try await store.put(StateKey.key(workloadType: workload.workloadType, workloadID: workload.workloadID),
                                        GoJSON.encode(workload.request))
            } catch {
                throw WriteError(workloadID: workload.workloadID, underlying: error)
            }
        }
    }
}
