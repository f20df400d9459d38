import NATSKit
import NexProtocol

/// Why an auction stopped collecting answers.
public enum AuctionStopReason: Sendable, Equatable {
    /// Bids + declines reached the largest `Nex-Nexus-Size` a node reported: everyone answered.
    case allNodesAnswered
    /// The adaptive stall passed without a new answer (Go nodes stay silent when they do not bid).
    case stalled
    /// Nobody answered within the first-reply timeout.
    case noReplies
    /// Nobody subscribes to the auction subject (no nodes at all).
    case noResponders
    /// The total deadline cut the auction short.
    case totalTimeout
    /// The calling task was cancelled.
    case cancelled
    /// The request could not be published (see the result's errors).
    case publishFailed
}

/// A node's explicit refusal to bid: an empty reply with header `Nex-Auction-Decline: <reason>`.
public struct AuctionDecline: Sendable, Equatable {
    /// The node's reason, e.g. `no healthy agent of type native`.
    public var reason: String
    /// The node's `Nex-Nexus-Size`, if it sent one.
    public var nexusSize: Int?

    public init(reason: String, nexusSize: Int? = nil) {
        self.reason = reason
        self.nexusSize = nexusSize
    }
}

/// Everything an auction produced.
public struct AuctionResult: Sendable {
    /// The `auction_id` sent.
    public var auctionID: String
    /// The bids, in arrival order.
    public var bids: [AuctionResponse]
    /// Explicit declines from our nodes (not bids).
    public var declines: [AuctionDecline]
    /// Error replies and undecodable bids.
    public var errors: [NexError]
    public var stopReason: AuctionStopReason
    /// The largest `Nex-Nexus-Size` any answer carried; nil when only Go nodes (or nobody) answered.
    public var nexusSize: Int?
    /// From publishing the request to the end of collection.
    public var elapsed: Duration

    public init(
        auctionID: String, bids: [AuctionResponse], declines: [AuctionDecline], errors: [NexError],
        stopReason: AuctionStopReason, nexusSize: Int?, elapsed: Duration
    ) {
        self.auctionID = auctionID
        self.bids = bids
        self.declines = declines
        self.errors = errors
        self.stopReason = stopReason
        self.nexusSize = nexusSize
        self.elapsed = elapsed
    }

    /// All errors as one, nil when there were none.
    public var joinedError: NexErrorList? { errors.isEmpty ? nil : NexErrorList(errors) }

    /// Each distinct decline reason with how many nodes gave it, most frequent first (ties by reason).
    public var declineReasons: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for decline in declines { counts[decline.reason, default: 0] += 1 }
        return counts.map { (reason: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    /// A sentence for error messages, e.g. `2 nodes declined: no healthy agent of type native`; nil without
    /// declines.
    public var declineSummary: String? {
        guard !declines.isEmpty else { return nil }
        let nodes = declines.count == 1 ? "1 node declined" : "\(declines.count) nodes declined"
        let reasons = declineReasons.map { entry in
            let reason = entry.reason.isEmpty ? "no reason given" : entry.reason
            return declineReasons.count == 1 || entry.count == 1 ? reason : "\(reason) (\(entry.count))"
        }
        return "\(nodes): \(reasons.joined(separator: "; "))"
    }
}
