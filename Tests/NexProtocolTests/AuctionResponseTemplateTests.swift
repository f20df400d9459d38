import Foundation
import NexProtocol
import Testing

@Suite struct AuctionResponseTemplateTests {
    @Test(arguments: [
        ("plain", #"{"type":"object","properties":{"uri":{"type":"string"}}}"#, [WorkloadLifecycle.service, .job], "XABC"),
        ("escapes<&>\"\\\u{2028}", "schema with \"quotes\", <tags> & \\ \n newlines", nil, ""),
        ("", "", [], "X"),
    ] as [(String, String, [WorkloadLifecycle]?, String)])
    func encodesExactlyLikeTheWholeResponse(bidderID: String, schema: String, lifecycles: [WorkloadLifecycle]?, xkey: String) throws {
        let template = try AuctionResponseTemplate(startRequestSchema: schema, supportedLifecycles: lifecycles, xkey: xkey)
        let whole = try GoJSON.encode(AuctionResponse(bidderID: bidderID, startRequestSchema: schema, supportedLifecycles: lifecycles, xkey: xkey))
        #expect(template.encode(bidderID: bidderID) == whole)
        let decoded = try GoJSON.decode(AuctionResponse.self, from: template.encode(bidderID: bidderID))
        #expect(decoded.bidderID == bidderID)
        #expect(decoded.startRequestSchema == schema)
    }
}
