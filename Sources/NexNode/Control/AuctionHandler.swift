import Foundation
import NATSKit
import NexProtocol

/// AUCTION (protocol.md §3.3 with decisions.md §2): bid when a healthy agent of the type is here, the tags
/// match, the node is not in lameduck and the auctioneer agrees. Otherwise stay silent — or, when the
/// request invites it (`Nex-Auction-Decline: ok`), say so with an empty-bodied decline, so clients need not
/// wait for silence. Every answer carries `Nex-Nexus-Size`.
extension ControlPlane {
    func handleAuction(_ request: MicroRequest) async {
        guard let subject = ControlSubject(request.subject) else { return }
        let auction: AuctionRequest
        do {
            auction = try GoJSON.decode(AuctionRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal auction request", error))
        }
        let invitesDecline = request.headers[NexHeader.auctionDecline] == NexHeader.auctionDeclineInvite
        let headers = core.nexusSizeHeaders

        func decline(_ reason: String) {
            guard invitesDecline else { return }
            var declineHeaders = headers
            declineHeaders.set(NexHeader.auctionDecline, reason)
            request.respond(Data(), headers: declineHeaders)
        }

        if core.isLameduck || core.state != .running {
            return decline("node \(core.options.name) is \(core.isLameduck ? "in lameduck mode" : core.state.rawValue)")
        }
        guard let agent = core.registry.healthyAgent(ofType: auction.agentType) else {
            return decline("no healthy agent of type \(auction.agentType)")
        }
        guard NexTag.matches(auction.tags, tags: core.tags) else {
            return decline("placement tags do not match")
        }
        if let auctioneer = core.options.auctioneer, let verdict = await auctioneer.review(namespace: subject.namespace, request: auction) {
            if verdict.fatal {
                return request.fail(.badRequest(friendly: "failed to auction", verdict.reason))
            }
            return decline(verdict.reason)
        }
        let bid = core.bids.issue(id: core.options.idGenerator(), namespace: subject.namespace, agentType: auction.agentType, agentID: agent.id)
        core.logger.debug("bid", metadata: ["auction_id": "\(auction.auctionID)", "bid": "\(bid.id)", "type": "\(auction.agentType)"])
        request.reply(AuctionResponse(
            bidderID: bid.id, startRequestSchema: agent.registration.startRequestSchema,
            supportedLifecycles: agent.registration.supportedLifecycles, xkey: agent.registration.publicXkey),
            headers: headers)
    }
}
