import Foundation
import NATSKit
import NexProtocol

extension NexClient {
    /// Stops a workload (protocol.md §3.8).
    ///
    /// A user namespace stops in itself; the answer is the first reply with `stopped: true`, else the
    /// default `{"id":<id>,"message":"workload not found","stopped":false,"workload_type":""}` without
    /// error. The `system` namespace first finds the owning namespace by listing: none → 404
    /// `workload not found`; a summary without namespace → 500; several namespaces → 500 (ambiguous).
    ///
    /// Error replies are thrown when no node stopped the workload.
    public func stopWorkload(id: String) async throws -> StopWorkloadResponse {
        try Self.checkToken(id, as: "workload id")
        let target = isSystem ? try await owningNamespace(of: id) : namespace
        return try await stopWorkload(id: id, in: target)
    }

    /// Stops `id` in `target`: scatter-gather `{namespace: target}` on `$NEX.SVC.<target>.control.UNDEPLOY.<id>`,
    /// returning at the first `stopped: true`.
    func stopWorkload(id: String, in target: String) async throws -> StopWorkloadResponse {
        try Self.checkToken(target, as: "namespace")
        let payload = try ReplyDecoder.encode(StopWorkloadRequest(namespace: target), what: "stop workload request")
        let gathered = await gather(
            NexSubject.undeploy(namespace: target, workloadID: id), payload: payload, policy: options.stop,
            what: "stop workload", everyNodeAnswers: true,
            stopWhen: { reply, _ in Self.isStopped(reply) })
        let (responses, errors) = gathered.decodeAll(StopWorkloadResponse.self, what: "stop workload response")
        if let stopped = responses.first(where: \.stopped) { return stopped }
        if !errors.isEmpty { throw NexErrorList(errors).collapsed }
        return StopWorkloadResponse.notFound(id: id)
    }

    /// The one namespace that owns `id`, found with a system listing filtered by the id.
    func owningNamespace(of id: String) async throws -> String {
        let listing = try await listWorkloads(in: NexConstants.systemNamespace, filter: [id])
        let matches = listing.value.all.filter { $0.id == id }
        guard !matches.isEmpty else {
            if !listing.errors.isEmpty { throw NexErrorList(listing.errors).collapsed }
            throw NexError.notFound("workload not found")
        }
        if matches.contains(where: { ($0.namespace ?? "").isEmpty }) {
            throw NexError.internalError(
                "owning namespace could not be determined for workload \(id): the agent did not report it",
                body: "owning namespace could not be determined")
        }
        let namespaces = Set(matches.compactMap(\.namespace)).sorted()
        guard namespaces.count == 1, let only = namespaces.first else {
            throw NexError.internalError(
                "workload id \(id) is ambiguous: found in namespaces \(namespaces.joined(separator: ", "))",
                body: "workload id is ambiguous")
        }
        return only
    }

    /// True for a successful stop reply (`stopped: true`, no error headers).
    private static func isStopped(_ reply: NatsMessage) -> Bool {
        guard case .success(let response) = ReplyDecoder.decode(StopWorkloadResponse.self, from: reply, what: "stop") else {
            return false
        }
        return response.stopped
    }
}
