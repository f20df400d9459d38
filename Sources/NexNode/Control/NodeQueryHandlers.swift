import Foundation
import NATSKit
import NexProtocol

/// PING, PTAGS, INFO and AGENTID: what a node says about itself.
extension ControlPlane {
    func handlePing(_ request: MicroRequest) {
        let ping: NodePingRequest
        do {
            ping = try GoJSON.decode(NodePingRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal ping request", error))
        }
        let tags = core.tags
        guard NexTag.matches(ping.filter, tags: tags) else { return }
        request.reply(NodePingResponse(
            nodeID: core.id, version: core.options.version, startTime: core.startTime, state: core.state,
            tags: tags, xkey: core.identity.xkey, agentCount: core.registry.count), headers: core.nexusSizeHeaders)
    }

    func handlePlacementTags(_ request: MicroRequest) {
        request.reply(core.tags, headers: core.nexusSizeHeaders)
    }

    func handleInfo(_ request: MicroRequest) {
        let now = ContinuousClock.now
        let summaries = core.registry.all.map { record in
            NodeAgentSummary(
                agentID: record.id, health: core.registry.health(of: record, now: now),
                lastHeartbeat: record.lastHeartbeatTime, summary: record.summary)
        }
        request.reply(NodeInfoResponse(
            nodeID: core.id, version: core.options.version, uptime: core.uptime, tags: core.tags,
            xkey: core.identity.xkey, nodeAgentSummaries: summaries.isEmpty ? nil : summaries))
    }

    /// Raw agent name in, raw agent id out (not JSON); silent when no agent has that name.
    func handleAgentID(_ request: MicroRequest) {
        let name = request.message.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            return request.fail(.badRequest(friendly: "agent name is required", "agent name is required"))
        }
        guard let record = core.registry.all.first(where: { $0.name == name }) else { return }
        request.respond(Data(record.id.utf8))
    }
}
