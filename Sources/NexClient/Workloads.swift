import Foundation
import NATSKit
import NexProtocol

/// The workloads the nodes reported, one array per node that has any (Go drops empty per-node arrays, so
/// "no workloads" is an empty ``perNode``).
public struct WorkloadListing: Sendable, Equatable {
    /// One array per answering node with at least one workload, in arrival order.
    public var perNode: [[WorkloadSummary]]

    public init(perNode: [[WorkloadSummary]]) {
        self.perNode = perNode
    }

    /// Every workload of every node, flattened.
    public var all: [WorkloadSummary] { perNode.flatMap { $0 } }
}

extension NexClient {
    /// Lists workloads (protocol.md §3.10): scatter-gather of `{namespace, filter}` on
    /// `$NEX.SVC.<ns>.control.WPING`. `filter` keeps workloads whose id or name it contains (nil or empty
    /// keeps all). The `system` namespace lists every namespace's workloads.
    public func listWorkloads(filter: [String]? = nil) async throws -> GatherOutcome<WorkloadListing> {
        try await listWorkloads(in: namespace, filter: filter)
    }

    /// ``listWorkloads(filter:)`` for any namespace (subject and body).
    func listWorkloads(in target: String, filter: [String]?) async throws -> GatherOutcome<WorkloadListing> {
        let request = AgentListWorkloadsRequest(namespace: target, filter: filter)
        let payload = try ReplyDecoder.encode(request, what: "list workloads request")
        let gathered = await gather(
            NexSubject.workloadPing(namespace: target), payload: payload, policy: options.gather,
            what: "list workloads")
        let (lists, errors) = gathered.decodeAll([WorkloadSummary]?.self, what: "workload list")
        let perNode = lists.compactMap { $0 }.filter { !$0.isEmpty }
        return GatherOutcome(value: WorkloadListing(perNode: perNode), errors: errors, stopReason: gathered.stopReason)
    }
}
