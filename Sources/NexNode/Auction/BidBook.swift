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

    /// The live bids by id, and their ids in the order they expire (issue order: the TTL is fixed). Expired
    /// bids leave from the front of the queue, so issuing a bid costs O(1) however many are outstanding.
    private struct Book {
        var byID: [String: Bid] = [:]
        var expiryOrder: [(id: String, expires: ContinuousClock.Instant)] = []
        var head = 0

        mutating func sweep(now: ContinuousClock.Instant, keeping limit: Int) {
            while head < expiryOrder.count {
                let (id, expires) = expiryOrder[head]
                guard expires <= now || expiryOrder.count - head > limit else { break }
                if byID[id]?.expires == expires { byID[id] = nil }
                head += 1
            }
            // Compact once the dead prefix dominates, keeping the amortised cost constant.
            if head > 1024, head * 2 > expiryOrder.count {
                expiryOrder.removeFirst(head)
                head = 0
            }
        }
    }

    private let ttl: Duration
    /// At most this many bids are outstanding; beyond it the oldest are dropped (a flood of auctions cannot
    /// grow the node without bound within one TTL).
    private let limit: Int
    private let book = Mutex(Book())

    init(ttl: Duration, limit: Int = 100_000) {
        self.ttl = ttl
        self.limit = max(1, limit)
    }

    /// Records a new bid and returns it.
    func issue(id: String, namespace: String, agentType: String, agentID: String, now: ContinuousClock.Instant = .now) -> Bid {
        let bid = Bid(id: id, namespace: namespace, agentType: agentType, agentID: agentID, expires: now + ttl)
        book.withLock { book in
            book.byID[id] = bid
            book.expiryOrder.append((id, bid.expires))
            book.sweep(now: now, keeping: limit)
        }
        return bid
    }

    /// Whether `id` names a live bid of this node (without consuming it).
    func contains(_ id: String, now: ContinuousClock.Instant = .now) -> Bool {
        book.withLock { $0.byID[id].map { $0.expires > now } ?? false }
    }

    /// Takes the bid for a deploy of `agentType` into `namespace` (the ADEPLOY subject's namespace).
    func consume(_ id: String, namespace: String, agentType: String, now: ContinuousClock.Instant = .now) -> Result<Bid, Refusal> {
        book.withLock { book in
            guard let bid = book.byID[id], bid.expires > now else {
                book.byID[id] = nil
                return .failure(.unknown)
            }
            guard bid.agentType == agentType else { return .failure(.wrongType(expected: bid.agentType)) }
            guard bid.namespace == namespace || bid.namespace == "system" else {
                return .failure(.wrongNamespace(expected: bid.namespace))
            }
            book.byID[id] = nil
            return .success(bid)
        }
    }

    /// Puts a consumed bid back (the deploy failed before anything started), if it has not expired.
    func restore(_ bid: Bid, now: ContinuousClock.Instant = .now) {
        guard bid.expires > now else { return }
        book.withLock { book in
            book.byID[bid.id] = bid
            book.expiryOrder.append((bid.id, bid.expires))
        }
    }

    var count: Int { book.withLock { $0.byID.count } }
}
