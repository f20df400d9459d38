import NATSKit
import NATSTestSupport
import OffPool
import Synchronization
import Testing

@Suite struct DeadlinesTests {
    /// Records the order in which actions ran and lets a test wait for a count of them.
    final class Log: Sendable {
        private let entries = Mutex<[String]>([])
        func append(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    @Test func actionsRunInDeadlineOrderAndCancelledOnesNever() async throws {
        let deadlines = Deadlines()
        let log = Log()
        let now = ContinuousClock.now
        deadlines.schedule(at: now + .milliseconds(60)) { log.append("c") }
        let cancelled = deadlines.schedule(at: now + .milliseconds(30)) { log.append("x") }
        deadlines.schedule(at: now + .milliseconds(20)) { log.append("a") }
        deadlines.schedule(at: now + .milliseconds(40)) { log.append("b") }
        deadlines.cancel(cancelled)
        try await eventually("three actions ran", timeout: .seconds(10)) { log.all.count == 3 }
        #expect(log.all == ["a", "b", "c"])
        #expect(deadlines.pendingCount == 0)
    }

    /// The thread re-checks at least once a second even when nobody wakes it, so a broken wake-up only shows
    /// as an early deadline that fires up to a second late: the bound here is half of that. The thread is
    /// put to sleep towards the far deadline by a marker action that runs at once; the early deadline is
    /// armed as soon as the marker is seen, and the time it fired is taken on the deadline thread itself.
    @Test func anEarlierDeadlineWakesTheSleepingThread() async throws {
        let deadlines = Deadlines()
        let (fired, firing) = AsyncStream.makeStream(of: (name: String, at: ContinuousClock.Instant).self)
        deadlines.schedule(after: .seconds(3600)) { firing.yield(("late", .now)) }
        deadlines.schedule(at: .now) { firing.yield(("marker", .now)) }
        let events = try await withDeadline(.seconds(10), "the marker and the early action") {
            var iterator = fired.makeAsyncIterator()
            guard let marker = await iterator.next() else { return [(name: String, at: ContinuousClock.Instant)]() }
            // The thread now sleeps towards the far deadline (or is about to).
            let armed = ContinuousClock.now
            deadlines.schedule(after: .milliseconds(10)) { firing.yield(("soon", .now)) }
            guard let soon = await iterator.next() else { return [marker] }
            return [marker, (name: "armed", at: armed), soon]
        }
        try #require(events.map(\.name) == ["marker", "armed", "soon"], "\(events.map(\.name))")
        let delay = events[2].at - events[1].at
        #expect(delay < .milliseconds(500), "the early deadline fired \(delay) after it was armed: the sleeping thread was not woken")
        #expect(deadlines.pendingCount == 1)
        firing.finish()
    }

    @Test func aPassedDeadlineRunsAtOnce() async throws {
        let deadlines = Deadlines()
        let log = Log()
        deadlines.schedule(at: .now - .seconds(1)) { log.append("past") }
        try await eventually("the action ran", timeout: .seconds(10)) { log.all == ["past"] }
    }

    @Test func manyCancelledDeadlinesDoNotAccumulate() async throws {
        let deadlines = Deadlines()
        let log = Log()
        for _ in 0..<10_000 {
            let token = deadlines.schedule(after: .seconds(3600)) { log.append("never") }
            deadlines.cancel(token)
        }
        deadlines.schedule(after: .milliseconds(1)) { log.append("kept") }
        try await eventually("the kept action ran", timeout: .seconds(10)) { log.all == ["kept"] }
        #expect(deadlines.pendingCount == 0)
    }
}
