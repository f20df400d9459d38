import Foundation
import NATSKit
import NexProtocol

/// LAMEDUCK (protocol.md §5.1, decisions.md §2): stop bidding at once, reply, tell the agents, shut down
/// after the delay. Silent when the request's tag filter does not match this node.
extension ControlPlane {
    func handleLameduck(_ request: MicroRequest) async {
        let lameduck: LameduckRequest
        do {
            lameduck = try GoJSON.decode(LameduckRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal lameduck request", error))
        }
        if let filter = lameduck.tag, !filter.isEmpty, !NexTag.matches(filter, tags: core.tags) { return }
        let delay: GoDuration
        do {
            delay = try lameduck.parsedDelay()
        } catch {
            return request.fail(.badRequest(friendly: "failed to parse lameduck delay", error))
        }
        let shutdownAt = Date().addingTimeInterval(Double(max(0, delay.nanoseconds)) / 1_000_000_000)
        _ = core.enterLameduck()
        request.reply(LameduckResponse(success: true, message: "node entering lameduck mode, will shutdown at \(Self.localTimestamp(shutdownAt))"))
        await onLameduck(delay)
    }

    /// Asks every agent to enter lameduck and emits one `AGENTLAMEDUCKSET` per answer.
    func lameduckAgents(delay: GoDuration) async {
        guard core.registry.count > 0, let payload = try? GoJSON.encode(LameduckRequest(delay: delay)) else { return }
        let replies = await core.askAgents(.setLameduck(nodeID: core.id), payload: payload, deadline: core.options.agentFanOutTimeout)
        for reply in replies {
            let success = NexError(replyHeaders: reply.headers.dictionary, body: reply.payload) == nil
                && ((try? GoJSON.decode(LameduckResponse.self, from: reply.payload))?.success ?? false)
            core.options.emitter.emit(AgentLameduckSetEvent(success: success), from: core.id)
        }
    }

    /// `YYYY-MM-DD hh:mm:ss` in local time, as the reference prints it.
    static func localTimestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
