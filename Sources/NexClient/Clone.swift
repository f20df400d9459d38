import Foundation
import Minter
import NATSKit
import NexProtocol

/// A successful ``NexClient/cloneWorkload(id:tags:stopOriginal:)``.
public struct CloneResult: Sendable {
    /// The stored definition of the original workload, as its agent reported it.
    public var original: StartWorkloadRequest
    /// The new workload (its own id) and how it was placed.
    public var deployed: DeployResult
    /// When asked to stop the original: the stop's answer or why it failed. A failed stop does not undo
    /// the clone.
    public var originalStop: Result<StopWorkloadResponse, NexError>?

    public init(original: StartWorkloadRequest, deployed: DeployResult, originalStop: Result<StopWorkloadResponse, NexError>?) {
        self.original = original
        self.deployed = deployed
        self.originalStop = originalStop
    }

    /// The new workload's id and name.
    public var response: StartWorkloadResponse { deployed.response }
}

extension NexClient {
    /// Starts a copy of a running workload (protocol.md §3.7): fetches its definition with CLONE, auctions in
    /// the workload's **own** namespace with `tags`, and deploys the definition there with `tags` as its
    /// placement tags. With `stopOriginal`, then stops the original in its namespace.
    ///
    /// Throws the nodes' error replies when nobody returned the definition, 404 `workload not found` when
    /// nobody had it, 500 when the definition carries no namespace, and the errors of
    /// ``deploy(_:tags:)``.
    public func cloneWorkload(id: String, tags: NodeTags? = nil, stopOriginal: Bool = false) async throws -> CloneResult {
        let definition = try await workloadDefinition(id: id)
        var request = definition
        request.tags = tags
        let deployed = try await deploy(request)
        var stop: Result<StopWorkloadResponse, NexError>?
        if stopOriginal {
            do {
                stop = .success(try await stopWorkload(id: id, in: definition.namespace))
            } catch let error as NexError {
                stop = .failure(error)
            }
        }
        return CloneResult(original: definition, deployed: deployed, originalStop: stop)
    }

    /// The stored definition of workload `id`: scatter-gather `{namespace, new_target_xkey}` on
    /// `$NEX.SVC.<ns>.control.CLONE.<id>`, ending at the first definition.
    func workloadDefinition(id: String) async throws -> StartWorkloadRequest {
        try Self.checkToken(id, as: "workload id")
        let targetKey: String
        do {
            targetKey = try XKeyPair.generate().publicKey
        } catch {
            throw NexError.internalError("failed to create a curve key for the clone: \(error)", body: "failed to create curve key")
        }
        let request = CloneWorkloadRequest(namespace: namespace, newTargetXkey: targetKey)
        let payload = try ReplyDecoder.encode(request, what: "clone workload request")
        let gathered = await gather(
            NexSubject.clone(namespace: namespace, workloadID: id), payload: payload, policy: options.gather,
            what: "clone workload",
            stopWhen: { reply, _ in NexError(reply: reply) == nil && !Self.isNullBody(reply.payload) })
        var errors: [NexError] = gathered.publishError.map { [$0] } ?? []
        var definition: StartWorkloadRequest?
        for reply in gathered.replies {
            if let error = NexError(reply: reply) {
                errors.append(error)
                continue
            }
            if Self.isNullBody(reply.payload) { continue }
            switch ReplyDecoder.decodeBody(StartWorkloadRequest.self, from: reply.payload, what: "workload definition") {
            case .success(let decoded): definition = decoded
            case .failure(let error): errors.append(error)
            }
            break
        }
        guard let definition else {
            if !errors.isEmpty { throw NexErrorList(errors).collapsed }
            throw NexError.notFound("workload not found")
        }
        guard !definition.namespace.isEmpty else {
            throw NexError.internalError("cannot clone workload: owning namespace not reported by the agent")
        }
        return definition
    }

    /// An empty body or JSON `null` (what a Go agent returns for "nothing").
    private static func isNullBody(_ payload: Data) -> Bool {
        let text = String(decoding: payload, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty || text == "null"
    }
}
