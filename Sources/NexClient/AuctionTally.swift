import Foundation
import NATSKit
import NexProtocol

/// Counts auction answers against the nexus size our nodes report.
///
/// A reply counts as a node's answer when it is a bid or a decline (no error code), or when it is an error
/// reply from one of our nodes (it carries `Nex-Nexus-Size`). Error replies without the header (e.g. a
/// foreign responder) do not count, so they cannot end an auction before the real nodes answered.
struct AuctionTally: Sendable {
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
        guard let text = reply.headers[NexClientHeader.nexusSize],
              let size = Int(text.trimmingCharacters(in: .whitespaces)), size > 0
        else { return nil }
        return size
    }
}
