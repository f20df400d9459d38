import Foundation
import NATSKit
import NexProtocol

/// The stop rules of one auction (``AuctionPolicy``):
///
/// - nothing within `firstReplyTimeout` → `.noReplies`; the server's no-responders status → `.noResponders`;
/// - answers reach the largest `Nex-Nexus-Size` seen → `.allNodesAnswered` at once;
/// - while our nodes have announced nodes that have not answered yet, wait up to `maximumStall` for them
///   (a far or busy node is slower, not absent);
/// - otherwise (only Go nodes, which stay silent when not bidding) an adaptive stall of `stallFactor ×` the
///   spread of the answers, clamped to `minimumStall ... maximumStall`;
/// - `totalTimeout` caps everything.
///
/// The collector is NATSKit's (``NatsConnection/gather(_:payload:headers:rule:)``); this is only the rule.
/// Each reply is turned into an `Answer` as it arrives, on the delivery thread, so decoding overlaps with the
/// wait for the other nodes instead of following it.
struct AuctionRule<Answer: Sendable>: GatherRule {
    struct Progress: Sendable {
        var tally = AnswerTally()
        var firstArrival: Duration?
    }

    let policy: AuctionPolicy
    let transform: @Sendable (NatsMessage) -> Answer

    var initialProgress: Progress { Progress() }
    var totalTimeout: Duration { policy.totalTimeout }
    var firstReplyTimeout: Duration { policy.firstReplyTimeout }
    var cancelledReason: AuctionStopReason { .cancelled }

    func answer(for message: NatsMessage) -> Answer { transform(message) }

    func received(_ message: NatsMessage, answers: [Answer], progress: inout Progress, elapsed: Duration) -> GatherStep<AuctionStopReason> {
        progress.tally.record(message)
        let first = progress.firstArrival ?? elapsed
        progress.firstArrival = first
        if policy.stopWhenAllNodesAnswered && progress.tally.allAnswered { return .finish(.allNodesAnswered) }
        let stall: Duration
        if policy.stopWhenAllNodesAnswered && progress.tally.waitingForKnownNodes {
            stall = max(policy.minimumStall, policy.maximumStall)
        } else {
            let spread = (elapsed - first) * policy.stallFactor
            stall = min(max(spread, policy.minimumStall), max(policy.minimumStall, policy.maximumStall))
        }
        return .waitUntil(.now + stall)
    }

    func noResponders(answers: [Answer]) -> GatherStep<AuctionStopReason> {
        answers.isEmpty ? .finish(.noResponders) : .ignore
    }

    func timedOut(answers: [Answer], progress: Progress, elapsed: Duration) -> AuctionStopReason {
        if answers.isEmpty { return .noReplies }
        return elapsed >= policy.totalTimeout - .microseconds(200) ? .totalTimeout : .stalled
    }
}
