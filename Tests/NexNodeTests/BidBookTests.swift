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
        #expect(book.contains("new", now: later))
        #expect(!book.contains("old-0", now: later))
        #expect(book.consume("old-1", namespace: "a", agentType: "native", now: later) == .failure(.unknown))
    }

    @Test func theOldestBidsAreDroppedBeyondTheLimit() {
        let book = BidBook(ttl: .seconds(60), limit: 100)
        for index in 0..<1000 {
            _ = book.issue(id: "bid-\(index)", namespace: "a", agentType: "native", agentID: "A", now: start)
        }
        #expect(book.count == 100)
        #expect(!book.contains("bid-0", now: start))
        #expect(book.contains("bid-999", now: start))
        #expect(book.contains("bid-900", now: start))
    }

    @Test func aRestoredBidIsUsableOnceMoreUntilItExpires() throws {
        let book = BidBook(ttl: .seconds(10))
        _ = book.issue(id: "bid", namespace: "a", agentType: "native", agentID: "A", now: start)
        let bid = try book.consume("bid", namespace: "a", agentType: "native", now: start).get()
        #expect(!book.contains("bid", now: start))
        book.restore(bid, now: start)
        #expect(book.contains("bid", now: start + .seconds(5)))
        _ = book.issue(id: "other", namespace: "a", agentType: "native", agentID: "A", now: start + .seconds(11))
        #expect(!book.contains("bid", now: start + .seconds(11)))
        #expect(book.count == 1)
    }

    @Test func bindingIsChecked() {
        let book = BidBook(ttl: .seconds(10))
        _ = book.issue(id: "bid", namespace: "a", agentType: "native", agentID: "A", now: start)
        #expect(book.consume("bid", namespace: "a", agentType: "wasm", now: start) == .failure(.wrongType(expected: "native")))
        #expect(book.consume("bid", namespace: "b", agentType: "native", now: start) == .failure(.wrongNamespace(expected: "a")))
        #expect((try? book.consume("bid", namespace: "a", agentType: "native", now: start).get())?.agentID == "A")
    }
}
