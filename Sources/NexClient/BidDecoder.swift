import Foundation
import NexProtocol
import Synchronization

/// Decodes auction bids, reusing what an earlier bid decoded: one agent's bids differ only in their bidder id,
/// and the rest (its start-request schema, kilobytes of escaped JSON) is most of the decoding work. A bid whose
/// bytes, with the bidder id's value cut out, equal an earlier bid's is that bid with the new bidder id —
/// the same result the full decode gives. Anything unusual (no or several `"bidder_id":"`, escapes in the
/// id) is simply decoded in full.
final class BidDecoder: Sendable {
    static let shared = BidDecoder()

    private static let marker = Array(#""bidder_id":""#.utf8)
    /// Distinct bid shapes remembered (one per agent type and version in practice).
    private static let capacity = 64
    private let known = Mutex<[Data: AuctionResponse]>([:])

    func decode(_ payload: Data) -> Result<AuctionResponse, NexError> {
        guard let (rest, bidderID) = Self.split(payload) else {
            return ReplyDecoder.decodeBody(AuctionResponse.self, from: payload, what: "auction response")
        }
        if var bid = known.withLock({ $0[rest] }) {
            bid.bidderID = bidderID
            return .success(bid)
        }
        let decoded = ReplyDecoder.decodeBody(AuctionResponse.self, from: payload, what: "auction response")
        if case .success(let bid) = decoded, bid.bidderID == bidderID {
            known.withLock { known in
                if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
                known[rest] = bid
            }
        }
        return decoded
    }

    /// The payload without the bidder id's value, and that value: only when `"bidder_id":"` occurs exactly once
    /// and the value up to the next quote has no backslash.
    static func split(_ payload: Data) -> (rest: Data, bidderID: String)? {
        let bytes = [UInt8](payload)
        guard let start = firstRange(of: marker, in: bytes, from: 0)?.upperBound,
              firstRange(of: marker, in: bytes, from: start) == nil,
              let end = bytes[start...].firstIndex(of: UInt8(ascii: "\""))
        else { return nil }
        let value = bytes[start..<end]
        guard !value.contains(UInt8(ascii: "\\")) else { return nil }
        var rest = Data(bytes[..<start])
        rest.append(contentsOf: bytes[end...])
        return (rest, String(decoding: value, as: UTF8.self))
    }

    private static func firstRange(of pattern: [UInt8], in bytes: [UInt8], from offset: Int) -> Range<Int>? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = offset
        while index <= bytes.count - pattern.count {
            guard let hit = bytes[index...(bytes.count - pattern.count)].firstIndex(of: first) else { return nil }
            if bytes[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit..<(hit + pattern.count) }
            index = hit + 1
        }
        return nil
    }
}
