import Foundation
import NATSKit
import NexProtocol

extension NexClient {
    /// The nodes whose tags contain every pair of `filter` (all nodes when nil): scatter-gather on
    /// `$NEX.SVC.<ns>.control.PING`. Only `system` reaches the nodes; another namespace gets no responders,
    /// which is an empty list without error.
    public func listNodes(filter: NodeTags? = nil) async throws -> GatherOutcome<[NodePingResponse]> {
        let payload = try ReplyDecoder.encode(NodePingRequest(filter: filter), what: "ping request")
        let gathered = await gather(
            NexSubject.ping(namespace: namespace), payload: payload, policy: options.gather, what: "node ping")
        let (nodes, errors) = gathered.decodeAll(NodePingResponse.self, what: "node ping response")
        return GatherOutcome(value: nodes, errors: errors, stopReason: gathered.stopReason)
    }

    /// The placement tags of every node merged into one map, first value per key winning in arrival order
    /// (as the Go client): scatter-gather with an empty body on `$NEX.SVC.<ns>.control.PTAGS`.
    public func placementTags() async throws -> GatherOutcome<NodeTags> {
        let gathered = await gather(
            NexSubject.placementTags(namespace: namespace), payload: Data(), policy: options.gather,
            what: "placement tags")
        let (maps, errors) = gathered.decodeAll(NodeTags?.self, what: "placement tags")
        var merged = NodeTags()
        for map in maps {
            for (key, value) in map ?? [:] where merged[key] == nil {
                merged[key] = value
            }
        }
        return GatherOutcome(value: merged, errors: errors, stopReason: gathered.stopReason)
    }

    /// One node's details: request `{}` on `$NEX.SVC.<ns>.control.INFO.<nodeId>`.
    ///
    /// Throws 404 `node not found` when nobody answers (no responders, timeout or an empty reply), the
    /// node's error when it replies with one, 500 `failed to request node info` on other transport errors.
    public func nodeInfo(nodeID: String) async throws -> NodeInfoResponse {
        try Self.checkToken(nodeID, as: "node id")
        let payload = try ReplyDecoder.encode(NodeInfoRequest(), what: "node info request")
        let subject = NexSubject.info(namespace: namespace, nodeID: nodeID)
        switch try await requestOne(subject, payload: payload, timeout: options.requestTimeout) {
        case .success(let reply):
            if let error = NexError(reply: reply) { throw error }
            if reply.payload.isEmpty { throw NexError.notFound("node not found") }
            return try ReplyDecoder.decodeBody(NodeInfoResponse.self, from: reply.payload, what: "node info").get()
        case .failure(.noResponders), .failure(.timeout):
            throw NexError.notFound("node not found")
        case .failure(.transport(let error)):
            throw NexError.internalError("failed to request node info: \(error)", body: "failed to request node info")
        }
    }

    /// Puts a node into lameduck mode: it shuts down after `delay` (protocol.md §5.1). With `tag`, only a
    /// node carrying all those tags acts; others stay silent, so the call then times out.
    ///
    /// No responders (no such node, or a namespace other than `system`) is `{success: false}` without error,
    /// as in Go. A timeout or other transport failure throws 500 `failed to request lameduck`.
    public func setLameduck(nodeID: String, delay: Duration, tag: NodeTags? = nil) async throws -> LameduckResponse {
        try Self.checkToken(nodeID, as: "node id")
        let request = LameduckRequest(delay: GoDuration(delay), tag: tag)
        let payload = try ReplyDecoder.encode(request, what: "lameduck request")
        let subject = NexSubject.lameduck(namespace: namespace, nodeID: nodeID)
        switch try await requestOne(subject, payload: payload, timeout: options.requestTimeout) {
        case .success(let reply):
            return try ReplyDecoder.decode(LameduckResponse.self, from: reply, what: "lameduck response").get()
        case .failure(.noResponders):
            return LameduckResponse(success: false)
        case .failure(.timeout):
            throw NexError.internalError("failed to request lameduck: timed out", body: "failed to request lameduck")
        case .failure(.transport(let error)):
            throw NexError.internalError("failed to request lameduck: \(error)", body: "failed to request lameduck")
        }
    }

    /// The id of the agent registered under `name` on a node (AGENTID; raw text both ways), or nil when the
    /// node has no such agent (the node stays silent, so this takes ``NexClientOptions/requestTimeout``).
    ///
    /// Throws 404 `node not found` on no responders, 400 for an empty name, the node's error replies, and
    /// 500 on other transport errors.
    public func agentID(nodeID: String, name: String) async throws -> String? {
        try Self.checkToken(nodeID, as: "node id")
        guard !name.isEmpty else { throw NexError.badRequest("agent name is required") }
        let subject = NexSubject.agentID(namespace: namespace, nodeID: nodeID)
        switch try await requestOne(subject, payload: Data(name.utf8), timeout: options.requestTimeout) {
        case .success(let reply):
            if let error = NexError(reply: reply) { throw error }
            return reply.string
        case .failure(.noResponders):
            throw NexError.notFound("node not found")
        case .failure(.timeout):
            return nil
        case .failure(.transport(let error)):
            throw NexError.internalError("failed to request agent id: \(error)", body: "failed to request agent id")
        }
    }
}
