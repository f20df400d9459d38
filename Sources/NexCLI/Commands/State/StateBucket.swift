import Foundation
import NATSKit
import NexNode
import NexProtocol

/// A node's state bucket `nex-<nodeId>` as the `nex state` commands see it: the node's own store
/// (``KVWorkloadState``) opened over the command's NATS connection, with its errors as one-line CLI errors.
struct StateBucket: Sendable {
    let nodeID: String
    let state: KVWorkloadState

    /// Binds to the node's existing bucket; a missing bucket is a clear one-line error.
    static func open(nodeID: String, connection: NatsConnection) async throws -> StateBucket {
        let bucket = StateKey.bucket(nodeID: nodeID)
        do {
            return StateBucket(nodeID: nodeID, state: try await KVWorkloadState.bind(connection: connection, nodeID: nodeID))
        } catch let error as NatsError where error.kind == .notFound {
            throw CLIError("node \(nodeID) has no state bucket: was it started with --state kv?")
        } catch let error as NatsError where error.kind == .noResponders {
            throw CLIError("cannot read the state bucket \(bucket): JetStream is not enabled on this NATS server")
        } catch let error as NatsError {
            throw CLIError("cannot open the state bucket \(bucket): \(error)")
        }
    }

    /// Every entry, sorted by workload id. Keys that are not `<type>_<id>` or whose value is not a
    /// `StartWorkloadRequest` are reported on stderr and skipped.
    func entries() async throws -> [StoredWorkload] {
        let read: (workloads: [StoredWorkload], unreadable: [KVWorkloadState.UnreadableEntry])
        do {
            read = try await state.readAll()
        } catch {
            throw CLIError("reading the state bucket \(state.bucket) failed: \(error)")
        }
        for entry in read.unreadable {
            switch entry.problem {
            case .keyFormat:
                Console.err("warning: skipping key \"\(entry.key)\": not <workload_type>_<workload_id>")
            case .value(let reason):
                Console.err("warning: skipping key \"\(entry.key)\": \(CLIError.singleLine(reason))")
            }
        }
        return read.workloads.sorted { $0.workloadID < $1.workloadID }
    }
}
