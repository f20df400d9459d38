import Synchronization

/// The bids this node has handed out. A bid is bound to the namespace it was made in and the agent type and
/// agent it was made for, expires after the TTL and is consumed by the first deploy that uses it (the Go node
/// does none of this; Go clients never notice, since they deploy each bid once within the TTL).
final class BidBook: Sendable {
    struct Bid: Sendable, Equatable {
        var id: String
        var namespace: String
        var agentType: String
        var agentID: String
        var expires: ContinuousClock.Instant
    }

    /// Why a deploy could not use a bid.
    enum Refusal: Error, Equatable {
        /// Not ours, expired or already used: the node stays silent, as for any unknown bid.
        case unknown
        /// Ours and live, but made for another agent type; the bid stays usable for the right type.
        case wrongType(expected: String)
        /// Ours and live, but made in another namespace (only `system` bids may deploy elsewhere).
        case wrongNamespace(expected: String)
    }

    private let ttl: Duration
    private let bids = Mutex<[String: Bid]>([:])

    init(ttl: Duration) {
        self.ttl = ttl
    }

    /// Records a new bid and returns it.
    func issue(id: String, namespace: String, agentType: String, agentID: String, now: ContinuousClock.Instant = .now) -> Bid {
        let bid = Bid(id: id, namespace: namespace, agentType: agentType, agentID: agentID, expires: now + ttl)
        bids.withLock { bids in
            Self.sweep(&bids, now: now)
            bids[id] = bid
        }
        return bid
    }

    /// Whether `id` names a live bid of this node (without consuming it).
    func contains(_ id: String, now: ContinuousClock.Instant = .now) -> Bool {
        bids.withLock { $0[id].map { $0.expires > now } ?? false }
    }

    /// Takes the bid for a deploy of `agentType` into `namespace` (the ADEPLOY subject's namespace).
    func consume(_ id: String, namespace: String, agentType: String, now: ContinuousClock.Instant = .now) -> Result<Bid, Refusal> {
        bids.withLock { bids in
            guard let bid = bids[id], bid.expires > now else {
                bids[id] = nil
                return .failure(.unknown)
            }
            guard bid.agentType == agentType else { return .failure(.wrongType(expected: bid.agentType)) }
            guard bid.namespace == namespace || bid.namespace == "system" else {
                return .failure(.wrongNamespace(expected: bid.namespace))
            }
            bids[id] = nil
            return .success(bid)
        }
    }

    /// Puts a consumed bid back (the deploy failed before anything started), if it has not expired.
    func restore(_ bid: Bid, now: ContinuousClock.Instant = .now) {
        guard bid.expires > now else { return }
        bids.withLock { $0[bid.id] = bid }
    }

    var count: Int { bids.withLock { $0.count } }

    private static func sweep(_ bids: inout [String: Bid], now: ContinuousClock.Instant) {
        // Amortised: only sweep when the book has grown, so issuing stays O(1) on average.
        guard bids.count >= 64 else { return }
        bids = bids.filter { $0.value.expires > now }
    }
}
