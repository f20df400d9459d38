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

    @Test func anEarlierDeadlineWakesTheSleepingThread() async throws {
        let deadlines = Deadlines()
        let log = Log()
        deadlines.schedule(after: .seconds(3600)) { log.append("late") }
        // Let the thread go to sleep towards the far deadline first.
        try await Task.sleep(for: .milliseconds(20))
        let begin = ContinuousClock.now
        deadlines.schedule(after: .milliseconds(10)) { log.append("soon") }
        try await eventually("the early action ran", timeout: .seconds(10)) { log.all == ["soon"] }
        #expect(ContinuousClock.now - begin < .seconds(5))
        #expect(deadlines.pendingCount == 1)
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
