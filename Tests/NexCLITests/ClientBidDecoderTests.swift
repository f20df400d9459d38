import Foundation
@testable import NexClient
import NexProtocol
import Testing

@Suite struct ClientBidDecoderTests {
    let schema = #"{"type":"object","properties":{"uri":{"type":"string","description":"a \"quoted\" <uri>"}}}"#

    func bid(_ id: String, xkey: String = "XKEY") throws -> Data {
        try GoJSON.encode(AuctionResponse(bidderID: id, startRequestSchema: schema, supportedLifecycles: [.service], xkey: xkey))
    }

    @Test func repeatedBidsDecodeLikeTheFullDecode() throws {
        let decoder = BidDecoder()
        for id in ["first", "second", "third", "é-ünïcode", ""] {
            let payload = try bid(id)
            let fast = try decoder.decode(payload).get()
            let full = try GoJSON.decode(AuctionResponse.self, from: payload)
            #expect(fast.bidderID == full.bidderID)
            #expect(fast.startRequestSchema == full.startRequestSchema)
            #expect(fast.supportedLifecycles == full.supportedLifecycles)
            #expect(fast.xkey == full.xkey)
        }
        // Another agent's bid is not mistaken for a known one.
        #expect(try decoder.decode(try bid("fourth", xkey: "OTHER")).get().xkey == "OTHER")
    }

    @Test func unusualPayloadsAreDecodedInFull() throws {
        let decoder = BidDecoder()
        _ = try decoder.decode(try bid("seed")).get()
        let escaped = Data(#"{"bidder_id":"a\"b","start_request_schema":"","supported_lifecycles":null,"xkey":"X"}"#.utf8)
        #expect(try decoder.decode(escaped).get().bidderID == "a\"b")
        #expect(BidDecoder.split(escaped) == nil)
        let twice = Data(#"{"bidder_id":"a","bidder_id":"b","start_request_schema":"","supported_lifecycles":null,"xkey":"X"}"#.utf8)
        #expect(BidDecoder.split(twice) == nil)
        let broken = Data(#"{"bidder_id":"a","start_request_schema":3}"#.utf8)
        #expect((try? decoder.decode(broken).get()) == nil)
        #expect((try? decoder.decode(broken).get()) == nil)
    }
}
