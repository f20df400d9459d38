import Foundation
import OffPool
import Synchronization

/// What a gather does next, as its ``GatherRule`` decides.
public enum GatherStep<Reason: Sendable>: Sendable {
    /// Keep collecting until this instant (then ``GatherRule/timedOut(answers:progress:elapsed:)`` decides).
    case waitUntil(ContinuousClock.Instant)
    /// Stop now.
    case finish(Reason)
    /// Nothing changes.
    case ignore
}

/// The stop rules of one kind of scatter-gather, for ``NatsConnection/gather(_:payload:headers:rule:)``: the
/// collector (one lock, one re-armed deadline, publishing, cancellation, exactly one outcome) is shared, the
/// rule only decides. Plain scatter-gather (``ScatterGatherOptions``) is one rule; the nex client's auction,
/// whose stall changes with what the answers say, is another.
public protocol GatherRule: Sendable {
    /// What a reply becomes; made on the delivery thread as the reply arrives, outside the collector's lock.
    associatedtype Answer: Sendable
    /// Why a gather stopped.
    associatedtype Reason: Sendable
    /// What the rule remembers between replies.
    associatedtype Progress: Sendable

    var initialProgress: Progress { get }
    /// The whole gather ends here at the latest (measured from the publish).
    var totalTimeout: Duration { get }
    /// How long to wait for the first reply.
    var firstReplyTimeout: Duration { get }
    /// The reasons the collector itself needs.
    var cancelledReason: Reason { get }

    func answer(for message: NatsMessage) -> Answer
    /// Called under the lock with the answers so far, this reply's included; the deadline it returns is
    /// capped at the total timeout.
    func received(_ message: NatsMessage, answers: [Answer], progress: inout Progress, elapsed: Duration) -> GatherStep<Reason>
    /// The server's no-responders status arrived (it comes instead of any reply, or after some).
    func noResponders(answers: [Answer]) -> GatherStep<Reason>
    /// The armed deadline passed without a new reply.
    func timedOut(answers: [Answer], progress: Progress, elapsed: Duration) -> Reason
}

/// The answers of one gather and why it stopped.
public struct GatherOutcome<Rule: GatherRule>: Sendable {
    public var answers: [Rule.Answer]
    public var reason: Rule.Reason
    public var progress: Rule.Progress
}

/// Collects the replies of one request under one lock with one re-armed deadline, by a ``GatherRule``.
final class ReplyGatherer<Rule: GatherRule>: Sendable {
    private struct State {
        var answers: [Rule.Answer] = []
        var progress: Rule.Progress
        var deadline: ContinuousClock.Instant
        var outcome: GatherOutcome<Rule>?
        var continuation: CheckedContinuation<GatherOutcome<Rule>, Never>?
    }

    private let rule: Rule
    private let started: ContinuousClock.Instant
    private let cap: ContinuousClock.Instant
    private let state: Mutex<State>
    /// Fires at `state.deadline`; a firing for an older deadline finds it moved and does nothing.
    private let timer = RearmableDeadline()

    init(rule: Rule) {
        self.rule = rule
        let now = ContinuousClock.now
        started = now
        cap = now + rule.totalTimeout
        state = Mutex(State(progress: rule.initialProgress, deadline: now + min(rule.firstReplyTimeout, rule.totalTimeout)))
    }

    func start() {
        arm(at: state.withLock { $0.deadline })
    }

    func wait() async -> GatherOutcome<Rule> {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> GatherOutcome<Rule>? in
                if let outcome = state.outcome { return outcome }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func receive(_ message: NatsMessage) {
        let elapsed = ContinuousClock.now - started
        let answer = message.isNoResponders ? nil : rule.answer(for: message)
        let step = state.withLock { state -> GatherStep<Rule.Reason> in
            guard state.outcome == nil else { return .ignore }
            guard let answer else { return rule.noResponders(answers: state.answers) }
            state.answers.append(answer)
            let step = rule.received(message, answers: state.answers, progress: &state.progress, elapsed: elapsed)
            if case .waitUntil(let deadline) = step {
                state.deadline = min(deadline, cap)
                return .waitUntil(state.deadline)
            }
            return step
        }
        switch step {
        case .ignore: return
        case .finish(let reason): finish(reason)
        case .waitUntil(let deadline): arm(at: deadline)
        }
    }

    func cancel() {
        finish(rule.cancelledReason)
    }

    private func arm(at deadline: ContinuousClock.Instant) {
        timer.arm(at: deadline) { [weak self] in self?.timerFired() }
    }

    private func timerFired() {
        let now = ContinuousClock.now
        let reason = state.withLock { state -> Rule.Reason? in
            // A reply may have moved the deadline after this firing was scheduled.
            guard state.outcome == nil, now >= state.deadline - .microseconds(100) else { return nil }
            return rule.timedOut(answers: state.answers, progress: state.progress, elapsed: now - started)
        }
        if let reason { finish(reason) }
    }

    private func finish(_ reason: Rule.Reason) {
        let done = state.withLock { state -> (CheckedContinuation<GatherOutcome<Rule>, Never>?, GatherOutcome<Rule>)? in
            guard state.outcome == nil else { return nil }
            let outcome = GatherOutcome<Rule>(answers: state.answers, reason: reason, progress: state.progress)
            state.outcome = outcome
            defer { state.continuation = nil }
            return (state.continuation, outcome)
        }
        guard let (continuation, outcome) = done else { return }
        timer.cancel()
        continuation?.resume(returning: outcome)
    }
}

extension NatsConnection {
    /// Publishes one request and gathers its replies until `rule` stops it (or the calling task is cancelled).
    /// Throws only when the request cannot be published.
    public func gather<Rule: GatherRule>(
        _ subject: String, payload: Data = Data(), headers: NatsHeaders = NatsHeaders(), rule: Rule
    ) async throws -> GatherOutcome<Rule> {
        let gatherer = ReplyGatherer(rule: rule)
        gatherer.start()
        let interest: ReplyInterest
        do {
            interest = try publishRequest(subject, payload: payload, headers: headers) { [weak gatherer] message in
                gatherer?.receive(message)
            }
        } catch {
            gatherer.cancel()
            throw error
        }
        defer { interest.close() }
        return await withTaskCancellationHandler {
            await gatherer.wait()
        } onCancel: {
            gatherer.cancel()
        }
    }
}
