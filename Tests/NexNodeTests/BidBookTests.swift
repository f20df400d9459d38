@testable import NexNode
import Testing

@Suite struct BidBookTests {
    let start = ContinuousClock.now

    @Test func expiredBidsLeaveAndLiveOnesStay() {
        let book = BidBook(ttl: .seconds(10))
        for index in 0..<500 {
            _ = book.issue(id: "old-\(index)", namespace: "a", agentType: "native", agentID: "A", now: start)
        }
        #expect(book.count == 500)
        let later = start + .seconds(11)
        _ = book.issue(id: "new", namespace: "a", agentType: "native", agentID: "A", now: later)
        #expect(book.count == 1)
        #expect(book.count(in: "a") == 1)
        #expect(book.contains("new", now: later))
        #expect(!book.contains("old-0", now: later))
        #expect(book.consume("old-1", namespace: "a", now: later) == .failure(.unknown))
    }

    @Test func theOldestBidsAreDroppedBeyondTheLimit() {
        let book = BidBook(ttl: .seconds(60), limit: 100)
        for index in 0..<1000 {
            _ = book.issue(id: "bid-\(index)", namespace: "ns-\(index % 7)", agentType: "native", agentID: "A", now: start)
        }
        #expect(book.count == 100)
        #expect(!book.contains("bid-0", now: start))
        #expect(book.contains("bid-999", now: start))
        #expect(book.contains("bid-900", now: start))
    }

    /// Attack: a flood of auctions from namespace A. Only A's oldest bids go; B's bid stays usable.
    @Test func aFloodFromOneNamespaceEvictsOnlyItsOwnBids() throws {
        let book = BidBook(ttl: .seconds(60), limit: 1000, namespaceLimit: 100)
        _ = book.issue(id: "b-bid", namespace: "b", agentType: "native", agentID: "A", now: start)
        for index in 0..<50_000 {
            _ = book.issue(id: "a-\(index)", namespace: "a", agentType: "native", agentID: "A", now: start)
        }
        #expect(book.count(in: "a") == 100)
        #expect(book.count == 101)
        #expect(book.contains("a-49999", now: start))
        #expect(!book.contains("a-49899", now: start))
        // Positive control: B's bid is still live and deploys.
        #expect(try book.consume("b-bid", namespace: "b", now: start).get().namespace == "b")
        #expect(book.count(in: "b") == 0)
    }

    @Test func aConsumedBidIsGoneForGood() throws {
        let book = BidBook(ttl: .seconds(10))
        _ = book.issue(id: "bid", namespace: "a", agentType: "native", agentID: "A", now: start)
        let bid = try book.consume("bid", namespace: "a", now: start).get()
        #expect(bid.agentType == "native")
        #expect(!book.contains("bid", now: start))
        #expect(book.consume("bid", namespace: "a", now: start) == .failure(.unknown))
        #expect(book.count(in: "a") == 0)
    }

    @Test func anotherNamespaceCannotUseOrBurnABid() {
        let book = BidBook(ttl: .seconds(10))
        _ = book.issue(id: "bid", namespace: "a", agentType: "native", agentID: "A", now: start)
        #expect(book.consume("bid", namespace: "b", now: start) == .failure(.wrongNamespace(expected: "a")))
        #expect((try? book.consume("bid", namespace: "a", now: start).get())?.agentID == "A")
        _ = book.issue(id: "system-bid", namespace: "system", agentType: "native", agentID: "A", now: start)
        #expect((try? book.consume("system-bid", namespace: "b", now: start).get())?.namespace == "system")
    }
}
