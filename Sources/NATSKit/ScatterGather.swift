import Foundation
import OffPool
import Synchronization

/// How long a scatter-gather waits for the next reply after receiving one.
public enum StallPolicy: Sendable {
    /// Do not stop on a quiet period: wait for `maxMessages`, `stopWhen` or the total deadline.
    case none
    /// Stop when no reply came for this long.
    case fixed(Duration)
    /// Stop when no reply came for `factor ×` the spread of the replies seen so far (time from the first reply
    /// to the latest), but at least `minimum` and at most `maximum`. Replies that arrive together end the
    /// gather soon after; replies that trickle in keep it open.
    case adaptive(minimum: Duration, maximum: Duration, factor: Double)
}

/// When a scatter-gather request stops collecting.
public struct ScatterGatherOptions: Sendable {
    /// How long to wait for the first reply (silence is the normal "nobody wants this" answer).
    public var firstReplyTimeout: Duration
    public var stall: StallPolicy
    /// Stop after this many replies.
    public var maxMessages: Int?
    /// Hard cap on the whole call, whatever the other rules say.
    public var totalTimeout: Duration
    /// Stop early once this returns true for a reply (given the replies so far, including it).
    public var stopWhen: (@Sendable (_ reply: NatsMessage, _ count: Int) -> Bool)?

    public init(
        firstReplyTimeout: Duration = .seconds(2),
        stall: StallPolicy = .fixed(.milliseconds(250)),
        maxMessages: Int? = nil,
        totalTimeout: Duration = .seconds(10),
        stopWhen: (@Sendable (_ reply: NatsMessage, _ count: Int) -> Bool)? = nil
    ) {
        self.firstReplyTimeout = firstReplyTimeout
        self.stall = stall
        self.maxMessages = maxMessages
        self.totalTimeout = totalTimeout
        self.stopWhen = stopWhen
    }
}

/// The replies of a scatter-gather request and why it stopped.
public struct ScatterGatherResult: Sendable {
    public enum StopReason: Sendable, Equatable {
        case noReplies, stalled, maxMessages, predicate, totalTimeout, noResponders, cancelled
    }

    public var replies: [NatsMessage]
    public var stopReason: StopReason
    /// Time from publishing the request to each reply's arrival, in reply order.
    public var arrivals: [Duration]

    /// True when the server said nobody subscribes to the subject.
    public var noResponders: Bool { stopReason == .noResponders }
}

/// Collects replies for one scatter-gather call; all rules are evaluated under one lock, and one deadline
/// is re-armed on each reply.
final class GatherCollector: Sendable {
    private struct State {
        var replies: [NatsMessage] = []
        var arrivals: [Duration] = []
        var done = false
        var continuation: CheckedContinuation<ScatterGatherResult, Never>?
        var pendingResult: ScatterGatherResult?
    }

    private let options: ScatterGatherOptions
    private let started = ContinuousClock.now
    private let state = Mutex(State())
    private let timer = RearmableDeadline()
    /// The armed deadline (stall or total cap, whichever comes first). A firing for an older deadline
    /// (re-armed meanwhile) is ignored.
    private let deadline = Mutex<ContinuousClock.Instant?>(nil)

    init(options: ScatterGatherOptions) {
        self.options = options
    }

    func start() {
        arm(after: min(options.firstReplyTimeout, options.totalTimeout))
    }

    func wait() async -> ScatterGatherResult {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> ScatterGatherResult? in
                if let result = state.pendingResult { return result }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func receive(_ message: NatsMessage) {
        let elapsed = ContinuousClock.now - started
        var reason: ScatterGatherResult.StopReason?
        var stallFor: Duration?
        let proceed = state.withLock { state -> Bool in
            if state.done { return false }
            if message.isNoResponders {
                reason = state.replies.isEmpty ? .noResponders : .stalled
                return true
            }
            state.replies.append(message)
            state.arrivals.append(elapsed)
            let count = state.replies.count
            if let max = options.maxMessages, count >= max {
                reason = .maxMessages
            } else if let stopWhen = options.stopWhen, stopWhen(message, count) {
                reason = .predicate
            } else {
                stallFor = stallDuration(arrivals: state.arrivals)
            }
            return true
        }
        guard proceed else { return }
        if let reason {
            finish(reason)
        } else if let stallFor {
            arm(after: stallFor)
        } else {
            arm(after: nil)
        }
    }

    func cancel() {
        finish(.cancelled)
    }

    private func stallDuration(arrivals: [Duration]) -> Duration? {
        switch options.stall {
        case .none:
            return nil
        case .fixed(let stall):
            return stall
        case .adaptive(let minimum, let maximum, let factor):
            guard let first = arrivals.first, let last = arrivals.last else { return minimum }
            let spread = (last - first) * factor
            return Swift.min(Swift.max(spread, minimum), maximum)
        }
    }

    /// Arms the timer for `stall` from now (nil: only the total cap), never past the total cap.
    private func arm(after stall: Duration?) {
        let now = ContinuousClock.now
        let cap = started + options.totalTimeout
        var deadline = cap
        if let stall { deadline = Swift.min(now + stall, cap) }
        self.deadline.withLock { $0 = deadline }
        timer.arm(at: deadline) { [weak self] in self?.timerFired() }
    }

    private func timerFired() {
        let now = ContinuousClock.now
        guard let deadline = deadline.withLock({ $0 }), now >= deadline - .microseconds(100) else { return }
        let total = now - started >= options.totalTimeout - .microseconds(100)
        let empty = state.withLock { $0.replies.isEmpty }
        finish(total && !empty ? .totalTimeout : (empty ? .noReplies : .stalled))
    }

    private func finish(_ reason: ScatterGatherResult.StopReason) {
        let outcome = state.withLock { state -> (CheckedContinuation<ScatterGatherResult, Never>?, ScatterGatherResult)? in
            if state.done { return nil }
            state.done = true
            let result = ScatterGatherResult(replies: state.replies, stopReason: reason, arrivals: state.arrivals)
            let continuation = state.continuation
            state.continuation = nil
            if continuation == nil { state.pendingResult = result }
            return (continuation, result)
        }
        guard let (continuation, result) = outcome else { return }
        timer.cancel()
        continuation?.resume(returning: result)
    }
}

extension NatsConnection {
    /// Publishes one request and gathers the replies of every responder until a stop rule fires: no first
    /// reply within `firstReplyTimeout`, a quiet period per `stall`, `maxMessages`, `stopWhen`, the total
    /// deadline, or the server's no-responders status. Never throws for silence; throws only when the request
    /// cannot be published.
    public func requestMany(_ subject: String, payload: Data = Data(), headers: NatsHeaders = NatsHeaders(), options: ScatterGatherOptions = ScatterGatherOptions()) async throws -> ScatterGatherResult {
        let collector = GatherCollector(options: options)
        collector.start()
        let interest: ReplyInterest
        do {
            interest = try publishRequest(subject, payload: payload, headers: headers) { collector.receive($0) }
        } catch {
            collector.cancel()
            throw error
        }
        defer { interest.close() }
        return await withTaskCancellationHandler {
            await collector.wait()
        } onCancel: {
            collector.cancel()
        }
    }
}
