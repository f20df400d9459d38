import DequeModule
import Synchronization

/// The bids this node has handed out. A bid is bound to the namespace it was made in and the agent type and
/// agent it was made for, expires after the TTL and is used up by the first deploy attempt from its namespace,
/// whatever that attempt's outcome (the Go node does none of this; Go clients never notice, since they deploy
/// each bid once within the TTL). Each namespace holds at most `namespaceLimit` live bids, so a flood of
/// auctions from one namespace evicts only that namespace's oldest bids; `limit` bounds the whole book.
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
        /// Ours and live, but made in another namespace (only `system` bids may deploy elsewhere). The bid stays
        /// with its namespace: a stranger's attempt must not burn it.
        case wrongNamespace(expected: String)
    }

    /// Bid ids in issue order (= expiry order: the TTL is fixed), consumed from the front. Entries of bids that
    /// are gone already are skipped when they reach the front.
    private typealias Queue = Deque<(id: String, expires: ContinuousClock.Instant)>

    /// The live bids by id, the global issue order and each namespace's issue order with its live count.
    private struct Book {
        var byID: [String: Bid] = [:]
        var order = Queue()
        var byNamespace: [String: (queue: Queue, live: Int)] = [:]

        /// Forgets a live bid (expired, evicted or used).
        mutating func drop(_ bid: Bid) {
            byID[bid.id] = nil
            // Mutated in place through the subscript (a copy of the slot would copy its queue on every change).
            guard byNamespace[bid.namespace] != nil else { return }
            byNamespace[bid.namespace]?.live -= 1
            if byNamespace[bid.namespace]?.live ?? 0 <= 0 { byNamespace[bid.namespace] = nil }
        }

        /// The live bid an entry names, if the entry is still current.
        func live(_ entry: (id: String, expires: ContinuousClock.Instant)) -> Bid? {
            guard let bid = byID[entry.id], bid.expires == entry.expires else { return nil }
            return bid
        }

        /// Drops expired bids, then the oldest beyond the global limit.
        mutating func sweep(now: ContinuousClock.Instant, keeping limit: Int) {
            while let entry = order.first, entry.expires <= now || byID.count > limit {
                order.removeFirst()
                if let bid = live(entry) { drop(bid) }
            }
        }

        /// Drops the oldest live bids of `namespace` until it has room for one more under `limit`, and trims
        /// the namespace's queue of entries whose bids are gone.
        mutating func makeRoom(in namespace: String, limit: Int) {
            guard byNamespace[namespace] != nil else { return }
            while let entry = byNamespace[namespace]?.queue.first,
                  live(entry) == nil || byNamespace[namespace]?.live ?? 0 >= limit {
                byNamespace[namespace]?.queue.removeFirst()
                if let bid = live(entry) {
                    byID[bid.id] = nil
                    byNamespace[namespace]?.live -= 1
                }
            }
            if byNamespace[namespace]?.live ?? 0 <= 0 { byNamespace[namespace] = nil }
        }

        mutating func insert(_ bid: Bid) {
            byID[bid.id] = bid
            order.append((bid.id, bid.expires))
            byNamespace[bid.namespace, default: (Queue(), 0)].queue.append((bid.id, bid.expires))
            byNamespace[bid.namespace, default: (Queue(), 0)].live += 1
        }
    }

    private let ttl: Duration
    /// At most this many bids are outstanding; beyond it the oldest are dropped (a flood of auctions cannot
    /// grow the node without bound within one TTL).
    private let limit: Int
    /// At most this many bids of one namespace are outstanding; beyond it that namespace's oldest are dropped.
    let namespaceLimit: Int
    private let book = Mutex(Book())

    init(ttl: Duration, limit: Int = 100_000, namespaceLimit: Int = NodeOptions.defaultMaxBidsPerNamespace) {
        self.ttl = ttl
        self.limit = max(1, limit)
        self.namespaceLimit = max(1, namespaceLimit)
    }

    /// Records a new bid and returns it.
    func issue(id: String, namespace: String, agentType: String, agentID: String, now: ContinuousClock.Instant = .now) -> Bid {
        let bid = Bid(id: id, namespace: namespace, agentType: agentType, agentID: agentID, expires: now + ttl)
        book.withLock { book in
            if let previous = book.byID[id] { book.drop(previous) }
            book.sweep(now: now, keeping: limit)
            book.makeRoom(in: namespace, limit: namespaceLimit)
            book.insert(bid)
            book.sweep(now: now, keeping: limit)
        }
        return bid
    }

    /// Whether `id` names a live bid of this node (without consuming it).
    func contains(_ id: String, now: ContinuousClock.Instant = .now) -> Bool {
        book.withLock { $0.byID[id].map { $0.expires > now } ?? false }
    }

    /// Takes the bid for a deploy into `namespace` (the ADEPLOY subject's namespace), before anything else of
    /// the request is looked at: from here on the bid is used, whatever the deploy's outcome (the caller checks
    /// the agent type). A bid of another namespace is left alone.
    func consume(_ id: String, namespace: String, now: ContinuousClock.Instant = .now) -> Result<Bid, Refusal> {
        book.withLock { book in
            guard let bid = book.byID[id] else { return .failure(.unknown) }
            guard bid.expires > now else {
                book.drop(bid)
                return .failure(.unknown)
            }
            guard bid.namespace == namespace || bid.namespace == "system" else {
                return .failure(.wrongNamespace(expected: bid.namespace))
            }
            book.drop(bid)
            return .success(bid)
        }
    }

    var count: Int { book.withLock { $0.byID.count } }

    /// Live bids of `namespace` (for tests and diagnostics).
    func count(in namespace: String) -> Int { book.withLock { $0.byNamespace[namespace]?.live ?? 0 } }
}
