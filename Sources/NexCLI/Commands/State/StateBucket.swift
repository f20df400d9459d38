import Foundation
import NATSKit
import NexProtocol

/// One stored desired workload as read from a node's bucket.
struct StateEntry: Sendable {
    let workloadID: String
    let workloadType: String
    let request: StartWorkloadRequest
}

/// A node's state bucket `nex-<nodeId>`, opened over the command's NATS connection.
struct StateBucket: Sendable {
    let nodeID: String
    let store: KeyValueStore

    /// Binds to the node's existing bucket; a missing bucket is a clear one-line error.
    static func open(nodeID: String, connection: NatsConnection) async throws -> StateBucket {
        let bucket = StateKey.bucket(nodeID: nodeID)
        do {
            let js = try JetStream(connection)
            return StateBucket(nodeID: nodeID, store: try await js.keyValue(bucket))
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
    func entries() async throws -> [StateEntry] {
        var result: [StateEntry] = []
        let stored: [KeyValueEntry]
        do {
            stored = try await store.entries()
        } catch {
            throw CLIError("reading the state bucket \(store.bucket) failed: \(error)")
        }
        for entry in stored {
            guard let (type, id) = StateKey.parse(entry.key) else {
                Console.err("warning: skipping key \"\(entry.key)\": not <workload_type>_<workload_id>")
                continue
            }
            do {
                let request = try GoJSON.decode(StartWorkloadRequest.self, from: entry.value)
                result.append(StateEntry(workloadID: id, workloadType: type, request: request))
            } catch {
                Console.err("warning: skipping key \"\(entry.key)\": \(CLIError.singleLine("\(error)"))")
            }
        }
        return result.sorted { $0.workloadID < $1.workloadID }
    }

}
