import Foundation
import HeapModule
import Synchronization

/// One thread that runs actions at deadlines: the timeouts and stalls of requests, scatter-gathers and
/// auctions, and the timeouts of ProcessKit's waits. The package's one timer mechanism (no `asyncAfter`,
/// no Dispatch timer sources). A Dispatch timer source or `asyncAfter` per request wakes Dispatch's manager thread on every
/// arm and cancel; here arming a deadline later than the earliest pending one touches nothing but a heap
/// under a lock, and a cancelled deadline is simply skipped when its time comes.
///
/// Actions run on the deadline thread one after the other: they must be short and must not block.
public final class Deadlines: @unchecked Sendable {
    /// The process-wide instance.
    public static let shared = Deadlines()

    /// Names a scheduled action, for ``cancel(_:)``.
    public struct Token: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    /// Ordered by deadline only (ties in any order), for the min-heap.
    private struct Entry: Comparable {
        var deadline: ContinuousClock.Instant
        var id: UInt64

        static func < (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline < rhs.deadline }
        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.deadline == rhs.deadline }
    }

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var heap = Heap<Entry>()
    private var actions: [UInt64: @Sendable () -> Void] = [:]
    private var nextID: UInt64 = 0
    private var started = false
    /// What the thread sleeps towards: nil while it waits for any entry, `.some(deadline)` while it sleeps
    /// until `deadline`; only a new deadline earlier than that needs to wake it.
    private var sleepingUntil: ContinuousClock.Instant??

    public init() {}

    /// Runs `action` on the deadline thread at `deadline` (at once if it has passed), unless cancelled first.
    @discardableResult
    public func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Token {
        condition.lock()
        defer { condition.unlock() }
        nextID &+= 1
        let id = nextID
        actions[id] = action
        heap.insert(Entry(deadline: deadline, id: id))
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "nats-deadlines"
            thread.stackSize = 256 * 1024
            thread.start()
        } else if let sleeping = sleepingUntil, sleeping.map({ deadline < $0 }) ?? true {
            condition.signal()
        }
        return Token(id: id)
    }

    /// Runs `action` after `delay`.
    @discardableResult
    public func schedule(after delay: Duration, _ action: @escaping @Sendable () -> Void) -> Token {
        schedule(at: .now + delay, action)
    }

    /// Forgets a scheduled action; nothing happens if it already ran.
    public func cancel(_ token: Token) {
        condition.lock()
        defer { condition.unlock() }
        actions[token.id] = nil
        // Cancelled entries stay in the heap until their time; rebuild once they dominate it.
        if heap.count > 1024, heap.count > 4 * actions.count {
            heap = Heap(heap.unordered.filter { actions[$0.id] != nil })
        }
    }

    /// The number of actions waiting to run.
    public var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return actions.count
    }

    private func run() {
        condition.lock()
        while true {
            while let head = heap.min, actions[head.id] == nil { heap.removeMin() }
            guard let head = heap.min else {
                sleepingUntil = .some(nil)
                condition.wait()
                sleepingUntil = nil
                continue
            }
            let now = ContinuousClock.now
            if head.deadline <= now {
                heap.removeMin()
                let action = actions.removeValue(forKey: head.id)
                condition.unlock()
                action?()
                condition.lock()
                continue
            }
            sleepingUntil = .some(head.deadline)
            // The wait is on the wall clock; waking at least every second bounds the effect of a clock jump.
            let wait = min(head.deadline - now, .seconds(1))
            _ = condition.wait(until: Date(timeIntervalSinceNow: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18))
            sleepingUntil = nil
        }
    }
}

/// One deadline that can be moved: arming it again replaces the pending action, `cancel()` drops it. For
/// collectors whose stop time moves with every reply. An action already under way when its deadline is
/// replaced may still run: owners check their own current deadline when it fires.
public final class RearmableDeadline: Sendable {
    private let pending = Mutex<Deadlines.Token?>(nil)

    public init() {}

    /// Schedules `action` at `deadline` in place of whatever was armed before.
    public func arm(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        let token = Deadlines.shared.schedule(at: deadline, action)
        if let previous = pending.withLock({ pending in defer { pending = token }; return pending }) {
            Deadlines.shared.cancel(previous)
        }
    }

    public func cancel() {
        if let previous = pending.withLock({ pending in defer { pending = nil }; return pending }) {
            Deadlines.shared.cancel(previous)
        }
    }
}
