import Foundation
import NATSKit
import NexProtocol

extension NexClient {
    /// Asks the nodes for bids to run a workload of `agentType` (protocol.md §3.2): scatter-gather of an
    /// `AuctionRequest` on `$NEX.SVC.<namespace>.control.AUCTION`. `namespace` defaults to the client's.
    ///
    /// Collection follows ``NexClientOptions/auction``: it ends when every node has answered (our nodes),
    /// after an adaptive stall (Go nodes), after a bounded wait for the first answer, or at the total
    /// deadline. Error replies are collected next to the bids; no responders is simply no bids.
    /// Throws only for an invalid namespace.
    public func auction(namespace: String? = nil, agentType: String, tags: NodeTags? = nil) async throws -> AuctionResult {
        let target = namespace ?? self.namespace
        try Self.checkToken(target, as: "namespace")
        let policy = options.auction
        let request = AuctionRequest(agentType: agentType, auctionID: NUID.next(), tags: tags)
        let payload = try ReplyDecoder.encode(request, what: "auction request")
        var headers = NatsHeaders()
        if policy.inviteDeclines { headers.set(NexHeader.auctionDecline, NexHeader.auctionDeclineInvite) }
        let started = ContinuousClock.now
        var result = AuctionResult(
            auctionID: request.auctionID, bids: [], declines: [], errors: [], stopReason: .publishFailed,
            nexusSize: nil, elapsed: .zero)
        let replies: [Answer]
        do {
            let outcome = try await connection.gather(
                NexSubject.auction(namespace: target), payload: payload, headers: headers,
                rule: AuctionRule(policy: policy, transform: Answer.init))
            replies = outcome.answers
            result.stopReason = outcome.reason
        } catch {
            replies = []
            result.errors.append(.internalError("failed to request auction: \(error)", body: "failed to request auction"))
        }
        result.elapsed = ContinuousClock.now - started
        for reply in replies {
            if let size = reply.nexusSize { result.nexusSize = max(result.nexusSize ?? 0, size) }
            switch reply.kind {
            case .bid(let bid): result.bids.append(bid)
            case .decline(let decline): result.declines.append(decline)
            case .error(let error): result.errors.append(error)
            }
        }
        return result
    }

    /// One auction reply, filed as a bid, a decline or an error (decoded as it arrives).
    private struct Answer: Sendable {
        enum Kind: Sendable {
            case bid(AuctionResponse)
            case decline(AuctionDecline)
            case error(NexError)
        }

        var kind: Kind
        var nexusSize: Int?

        init(_ reply: NatsMessage) {
            nexusSize = AnswerTally.nexusSize(of: reply)
            if let error = NexError(reply: reply) {
                kind = .error(error)
            } else if let reason = reply.headers[NexHeader.auctionDecline] {
                kind = .decline(AuctionDecline(reason: reason, nexusSize: nexusSize))
            } else {
                switch BidDecoder.shared.decode(reply.payload) {
                case .success(let bid): kind = .bid(bid)
                case .failure(let error): kind = .error(error)
                }
            }
        }
    }
}
