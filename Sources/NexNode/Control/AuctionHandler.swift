import Foundation
import NATSKit
import NexProtocol

/// AUCTION (protocol.md §3.3 with decisions.md §2): bid when a healthy agent of the type is here, the tags
/// match, the node is not in lameduck and the auctioneer agrees. Otherwise stay silent — or, when the
/// request invites it (`Nex-Auction-Decline: ok`), say so with an empty-bodied decline, so clients need not
/// wait for silence. Every answer carries `Nex-Nexus-Size`.
extension ControlPlane {
    /// Runs inline on the endpoint's delivery thread; only a configured auctioneer moves the rest into a task.
    func handleAuction(_ request: MicroRequest) {
        guard let subject = ControlSubject(request.subject) else { return }
        let auction: AuctionRequest
        do {
            auction = try GoJSON.decode(AuctionRequest.self, from: request.payload)
        } catch {
            return request.fail(.badRequest(friendly: "failed to unmarshal auction request", error))
        }
        let invitesDecline = request.headers[NexHeader.auctionDecline] == NexHeader.auctionDeclineInvite
        let headers = core.nexusSizeHeaders
        // issue 14: metrics
        let started = ContinuousClock.now
        let metrics = core.metrics

        @Sendable func decline(_ reason: String, _ kind: AuctionDeclineReason = .other) {
            metrics.auctionDeclined(kind, since: started)
            guard invitesDecline else { return }
            var declineHeaders = headers
            declineHeaders.set(NexHeader.auctionDecline, reason)
            request.respond(Data(), headers: declineHeaders)
        }

        if core.isLameduck || core.state != .running {
            return decline("node \(core.options.name) is \(core.isLameduck ? "in lameduck mode" : core.state.rawValue)",
                           core.isLameduck ? .lameduck : .notRunning)
        }
        guard let agent = core.registry.healthyAgent(ofType: auction.agentType, load: core.placements.count(on:)) else {
            return decline("no healthy agent of type \(auction.agentType)", .noAgent)
        }
        guard agent.hasRoom(running: core.placements.count(on: agent.id)) else {
            return decline("every agent of type \(auction.agentType) is at capacity", .agentCapacity)
        }
        guard NexTag.matches(auction.tags, tags: core.tags) else {
            return decline("placement tags do not match", .tags)
        }
        // issue 14: node capacity
        if let full = core.placements.fullReason(capacity: core.capacity, nodeName: core.options.name) {
            return decline(full, .nodeFull)
        }
        guard let auctioneer = core.options.auctioneer else {
            return bid(on: request, namespace: subject.namespace, auction: auction, agent: agent, headers: headers, since: started)
        }
        Task {
            if let verdict = await auctioneer.review(namespace: subject.namespace, request: auction) {
                if verdict.fatal {
                    return request.fail(.badRequest(friendly: "failed to auction", verdict.reason))
                }
                return decline(verdict.reason, .auctioneer)
            }
            bid(on: request, namespace: subject.namespace, auction: auction, agent: agent, headers: headers, since: started)
        }
    }

    private func bid(on request: MicroRequest, namespace: String, auction: AuctionRequest, agent: AgentRecord, headers: NatsHeaders,
                     since started: ContinuousClock.Instant) {
        let bid = core.bids.issue(id: core.options.idGenerator(), namespace: namespace, agentType: auction.agentType, agentID: agent.id)
        core.metrics.auctionBid(since: started)
        core.logger.debug("bid", metadata: ["auction_id": "\(auction.auctionID)", "bid": "\(bid.id)", "type": "\(auction.agentType)"])
        if let template = agent.bidTemplate {
            request.respond(template.encode(bidderID: bid.id), headers: headers)
            return
        }
        request.reply(AuctionResponse(
            bidderID: bid.id, startRequestSchema: agent.registration.startRequestSchema,
            supportedLifecycles: agent.registration.supportedLifecycles, xkey: agent.registration.publicXkey),
            headers: headers)
    }
}
