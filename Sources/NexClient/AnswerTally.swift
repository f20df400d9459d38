import Foundation
import NATSKit
import NexProtocol
import Synchronization

/// Counts the answers of a query every node answers (auction, ping, list, stop) against the nexus size our
/// nodes report.
///
/// A reply counts as a node's answer when it is not an error (a bid, a decline, a listing), or when it is an error
/// reply from one of our nodes (it carries `Nex-Nexus-Size`). Error replies without the header (e.g. a
/// foreign responder) do not count, so they cannot end a query before the real nodes answered.
struct AnswerTally: Sendable {
    private(set) var answers = 0
    /// The largest `Nex-Nexus-Size` seen; 0 while unknown (only Go nodes answered so far).
    private(set) var nexusSize = 0

    mutating func record(_ reply: NatsMessage) {
        let size = Self.nexusSize(of: reply)
        if reply.headers[NexHeader.serviceErrorCode] == nil || size != nil { answers += 1 }
        if let size { nexusSize = max(nexusSize, size) }
    }

    /// Every node our nodes know of has answered.
    var allAnswered: Bool { nexusSize > 0 && answers >= nexusSize }

    /// Our nodes announced more nodes than have answered so far.
    var waitingForKnownNodes: Bool { nexusSize > 0 && answers < nexusSize }

    /// The positive integer in the reply's `Nex-Nexus-Size` header, if any.
    static func nexusSize(of reply: NatsMessage) -> Int? {
        guard let text = reply.headers[NexHeader.nexusSize],
              let size = Int(text) ?? Int(text.filter { $0 != " " && $0 != "\t" }), size > 0
        else { return nil }
        return size
    }
}

/// An ``AnswerTally`` shared by the replies of one gather.
final class SharedAnswerTally: Sendable {
    private let tally = Mutex(AnswerTally())

    /// Records `reply`; true once every node our nodes know of has answered.
    func recordAndCheck(_ reply: NatsMessage) -> Bool {
        tally.withLock { tally in
            tally.record(reply)
            return tally.allAnswered
        }
    }
}
