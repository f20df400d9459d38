import NexClient
import NexProtocol

/// Finding a workload by id.
enum WorkloadLookup {
    static func notFound(_ id: String, namespace: String) -> CLIError {
        CLIError("workload \(id) not found in namespace \"\(namespace)\"", hint: "list the workloads with \"nex workload list\"")
    }

    /// The summary of workload `id` (by id, else by name).
    static func find(_ id: String, client: NexClient) async throws -> WorkloadSummary {
        guard let match = try await running(id, client: client) else { throw notFound(id, namespace: client.namespace) }
        return match
    }

    /// The summary of workload `id` (by id, else by name); nil when no node runs it.
    static func running(_ id: String, client: NexClient) async throws -> WorkloadSummary? {
        let outcome = try await client.listWorkloads(filter: [id])
        let all = outcome.value.all
        if let match = all.first(where: { $0.id == id }) ?? all.first(where: { $0.name == id }) { return match }
        if !outcome.errors.isEmpty {
            throw CLIError("looking up workload \(id) failed: \(NexErrorList(outcome.errors).description)")
        }
        return nil
    }
}
