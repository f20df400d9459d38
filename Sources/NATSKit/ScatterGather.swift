import Foundation

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

/// The rules of ``ScatterGatherOptions`` as a ``GatherRule``: the first-reply timeout, the stall, the
/// maximum count, the predicate and the total cap.
struct ScatterGatherRule: GatherRule {
    let options: ScatterGatherOptions

    var initialProgress: [Duration] { [] }
    var totalTimeout: Duration { options.totalTimeout }
    var firstReplyTimeout: Duration { options.firstReplyTimeout }
    var cancelledReason: ScatterGatherResult.StopReason { .cancelled }

    func answer(for message: NatsMessage) -> NatsMessage { message }

    /// `arrivals` (the progress) holds each reply's time since the publish.
    func received(_ message: NatsMessage, answers: [NatsMessage], progress arrivals: inout [Duration], elapsed: Duration) -> GatherStep<ScatterGatherResult.StopReason> {
        arrivals.append(elapsed)
        if let max = options.maxMessages, answers.count >= max { return .finish(.maxMessages) }
        if let stopWhen = options.stopWhen, stopWhen(message, answers.count) { return .finish(.predicate) }
        guard let stall = stallDuration(arrivals: arrivals) else { return .waitUntil(.now + options.totalTimeout) }
        return .waitUntil(.now + stall)
    }

    func noResponders(answers: [NatsMessage]) -> GatherStep<ScatterGatherResult.StopReason> {
        .finish(answers.isEmpty ? .noResponders : .stalled)
    }

    func timedOut(answers: [NatsMessage], progress: [Duration], elapsed: Duration) -> ScatterGatherResult.StopReason {
        if answers.isEmpty { return .noReplies }
        return elapsed >= options.totalTimeout - .microseconds(100) ? .totalTimeout : .stalled
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
}

extension NatsConnection {
    /// Publishes one request and gathers the replies of every responder until a stop rule fires: no first
    /// reply within `firstReplyTimeout`, a quiet period per `stall`, `maxMessages`, `stopWhen`, the total
    /// deadline, or the server's no-responders status. Never throws for silence; throws only when the request
    /// cannot be published.
    public func requestMany(_ subject: String, payload: Data = Data(), headers: NatsHeaders = NatsHeaders(), options: ScatterGatherOptions = ScatterGatherOptions()) async throws -> ScatterGatherResult {
        let outcome = try await gather(subject, payload: payload, headers: headers, rule: ScatterGatherRule(options: options))
        return ScatterGatherResult(replies: outcome.answers, stopReason: outcome.reason, arrivals: outcome.progress)
    }
}
