import Foundation
import NATSKit
import NexProtocol
import OffPool
import Synchronization

/// Gathers the answers to one auction request with the rules of ``AuctionPolicy``:
///
/// - nothing within `firstReplyTimeout` → `.noReplies`; the server's no-responders status → `.noResponders`;
/// - answers reach the largest `Nex-Nexus-Size` seen → `.allNodesAnswered` at once;
/// - while our nodes have announced nodes that have not answered yet, wait up to `maximumStall` for them
///   (a far or busy node is slower, not absent);
/// - otherwise (only Go nodes, which stay silent when not bidding) an adaptive stall of `stallFactor ×` the
///   spread of the answers, clamped to `minimumStall ... maximumStall`;
/// - `totalTimeout` caps everything.
///
/// NATSKit's scatter-gather has one stall rule per call; this needs the rule to change with what the
/// answers say, hence its own collector over the connection's shared reply subscription.
///
/// Each reply is turned into an `Answer` as it arrives, on the delivery thread, so decoding overlaps with the
/// wait for the other nodes instead of following it.
final class AuctionCollector<Answer: Sendable>: Sendable {
    struct Outcome: Sendable {
        var replies: [Answer]
        var stopReason: AuctionStopReason
    }

    private struct State {
        var replies: [Answer] = []
        var tally = AnswerTally()
        var firstArrival: ContinuousClock.Instant?
        var deadline: ContinuousClock.Instant
        var outcome: Outcome?
        var continuation: CheckedContinuation<Outcome, Never>?
    }

    /// What a reply leads to.
    private enum Next { case ignore, finish(AuctionStopReason), rearm(ContinuousClock.Instant) }

    private let policy: AuctionPolicy
    private let transform: @Sendable (NatsMessage) -> Answer
    private let started: ContinuousClock.Instant
    private let state: Mutex<State>
    /// Fires at `state.deadline`; a firing for an older deadline finds it moved and does nothing.
    private let timer = RearmableDeadline()

    init(policy: AuctionPolicy, transform: @escaping @Sendable (NatsMessage) -> Answer) {
        self.policy = policy
        self.transform = transform
        let now = ContinuousClock.now
        started = now
        state = Mutex(State(deadline: now + min(policy.firstReplyTimeout, policy.totalTimeout)))
    }

    /// Publishes the request and waits for the outcome. Cancellation ends it early.
    static func run(
        on connection: NatsConnection, subject: String, payload: Data, headers: NatsHeaders, policy: AuctionPolicy,
        transform: @escaping @Sendable (NatsMessage) -> Answer
    ) async throws -> Outcome {
        let collector = AuctionCollector(policy: policy, transform: transform)
        collector.arm(at: collector.state.withLock { $0.deadline })
        let interest: ReplyInterest
        do {
            interest = try connection.publishRequest(subject, payload: payload, headers: headers) { [weak collector] message in
                collector?.receive(message)
            }
        } catch {
            collector.finish(.publishFailed)
            throw error
        }
        defer { interest.close() }
        return await withTaskCancellationHandler {
            await collector.wait()
        } onCancel: {
            collector.finish(.cancelled)
        }
    }

    private func arm(at deadline: ContinuousClock.Instant) {
        timer.arm(at: deadline) { [weak self] in self?.timerFired() }
    }

    private func wait() async -> Outcome {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Outcome? in
                if let outcome = state.outcome { return outcome }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func receive(_ message: NatsMessage) {
        let now = ContinuousClock.now
        let answer = message.isNoResponders ? nil : transform(message)
        let next = state.withLock { state -> Next in
            guard state.outcome == nil else { return .ignore }
            guard let answer else {
                return state.replies.isEmpty ? .finish(.noResponders) : .ignore
            }
            state.replies.append(answer)
            state.tally.record(message)
            let first = state.firstArrival ?? now
            state.firstArrival = first
            if policy.stopWhenAllNodesAnswered && state.tally.allAnswered { return .finish(.allNodesAnswered) }
            let stall: Duration
            if policy.stopWhenAllNodesAnswered && state.tally.waitingForKnownNodes {
                stall = max(policy.minimumStall, policy.maximumStall)
            } else {
                let spread = (now - first) * policy.stallFactor
                stall = min(max(spread, policy.minimumStall), max(policy.minimumStall, policy.maximumStall))
            }
            state.deadline = min(now + stall, started + policy.totalTimeout)
            return .rearm(state.deadline)
        }
        switch next {
        case .ignore: return
        case .finish(let reason): finish(reason)
        case .rearm(let deadline): arm(at: deadline)
        }
    }

    private func timerFired() {
        let now = ContinuousClock.now
        let reason = state.withLock { state -> AuctionStopReason? in
            // A reply may have moved the deadline after this firing was scheduled.
            guard state.outcome == nil, now >= state.deadline - .microseconds(200) else { return nil }
            if state.replies.isEmpty { return .noReplies }
            return now - started >= policy.totalTimeout - .microseconds(200) ? .totalTimeout : .stalled
        }
        if let reason { finish(reason) }
    }

    fileprivate func finish(_ reason: AuctionStopReason) {
        let done = state.withLock { state -> (CheckedContinuation<Outcome, Never>?, Outcome)? in
            guard state.outcome == nil else { return nil }
            let outcome = Outcome(replies: state.replies, stopReason: reason)
            state.outcome = outcome
            defer { state.continuation = nil }
            return (state.continuation, outcome)
        }
        guard let (continuation, outcome) = done else { return }
        timer.cancel()
        continuation?.resume(returning: outcome)
    }
}
