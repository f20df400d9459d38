import Foundation
import NATSKit
import NexProtocol
import Synchronization

/// Counts auction answers as they arrive (called by the scatter-gather under its lock) and says when every
/// node of the nexus has answered: answers ≥ the largest `Nex-Nexus-Size` seen.
///
/// A reply counts as a node's answer when it is a bid or a decline (no error code), or when it is an error
/// reply from one of our nodes (it carries the size header). Error replies without the header (e.g. a
/// foreign responder) do not count, so they cannot end an auction before the real nodes answered.
final class AuctionTally: Sendable {
    private let state = Mutex<(answers: Int, nexusSize: Int)>((0, 0))
    private let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Records one reply; true when the auction is complete.
    func record(_ reply: NatsMessage) -> Bool {
        let size = Self.nexusSize(of: reply)
        let isAnswer = reply.headers[NexHeader.serviceErrorCode] == nil || size != nil
        return state.withLock { state in
            if isAnswer { state.answers += 1 }
            if let size { state.nexusSize = max(state.nexusSize, size) }
            return enabled && state.nexusSize > 0 && state.answers >= state.nexusSize
        }
    }

    /// The positive integer in the reply's `Nex-Nexus-Size` header, if any.
    static func nexusSize(of reply: NatsMessage) -> Int? {
        guard let text = reply.headers[NexClientHeader.nexusSize],
              let size = Int(text.trimmingCharacters(in: .whitespaces)), size > 0
        else { return nil }
        return size
    }
}
