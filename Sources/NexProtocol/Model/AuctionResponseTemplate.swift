import Foundation
import GoJSONText

/// The bids of one agent differ only in their bidder id; everything after it (the agent's schema, lifecycles
/// and xkey: kilobytes of escaped JSON) is encoded once, and each bid costs a copy. The bytes are exactly those
/// of `GoJSON.encode(AuctionResponse(...))`: `bidder_id` is the first key in Go's field order.
public struct AuctionResponseTemplate: Sendable {
    private static let head = Array(#"{"bidder_id":"#.utf8)
    /// `,"start_request_schema":…}`: the encoding after the bidder id's value.
    private let tail: [UInt8]

    public init(startRequestSchema: String, supportedLifecycles: [WorkloadLifecycle]?, xkey: String) throws {
        let blank = try GoJSON.encode(AuctionResponse(
            bidderID: "", startRequestSchema: startRequestSchema, supportedLifecycles: supportedLifecycles, xkey: xkey))
        let prefix = Self.head + Array(#""""#.utf8)
        guard blank.starts(with: prefix) else {
            throw GoJSONError.malformed("an auction response does not start with its bidder id")
        }
        tail = Array(blank.dropFirst(prefix.count))
    }

    /// The encoded bid with `bidderID`.
    public func encode(bidderID: String) -> Data {
        var bytes = Self.head
        bytes.reserveCapacity(Self.head.count + bidderID.utf8.count + 2 + tail.count)
        GoJSONString.appendQuoted(bidderID, to: &bytes)
        bytes.append(contentsOf: tail)
        return Data(bytes)
    }
}
