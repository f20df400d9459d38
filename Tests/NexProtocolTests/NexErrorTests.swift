import Foundation
import NexProtocol
import Testing

/// Reproduces `client/error_test.go` (protocol.md §7.3) and the node-side reply format (§6.1).
@Suite("Errors")
struct NexErrorTests {
    private func headers(code: String?, message: String?) -> [String: [String]] {
        var headers: [String: [String]] = [:]
        if let code { headers[NexHeader.serviceErrorCode] = [code] }
        if let message { headers[NexHeader.serviceError] = [message] }
        return headers
    }

    @Test("client-made errors get unique, non-empty ids")
    func uniqueIDs() {
        let errors = [
            NexError.internalError("a"), NexError.internalError("b"), NexError.badRequest("c"), NexError.notFound("d"),
        ]
        #expect(Set(errors.map(\.id)).count == 4)
        #expect(errors.allSatisfy { !$0.id.isEmpty })
    }

    @Test("client-made error statuses 500/400/404 (and 403)")
    func statuses() {
        #expect(NexError.internalError("x").status == 500)
        #expect(NexError.badRequest("start workload request must not be nil").status == 400)
        #expect(NexError.notFound("node not found").status == 404)
        #expect(NexError.forbidden("no").status == 403)
    }

    @Test("raw error text and friendly body are kept separately")
    func preservesMessages() {
        let error = NexError.internalError("dial tcp 10.0.0.1:4222: connection refused", body: "failed to request node info")
        #expect(error.error == "dial tcp 10.0.0.1:4222: connection refused")
        #expect(error.body == "failed to request node info")
        #expect(error.description == error.error)
        #expect(NexError.notFound("workload not found").body == "workload not found")
    }

    @Test("TestNexErrorFromMsg_WithErrorHeaders")
    func withErrorHeaders() throws {
        let error = try #require(NexError(
            replyHeaders: headers(code: "500", message: "internal server error"),
            body: Data(#"{"error_id":"corr-123","error":"something broke"}"#.utf8)))
        #expect(error == NexError(id: "corr-123", error: "something broke", body: "internal server error", status: 500))
    }

    @Test("TestNexErrorFromMsg_NoErrorHeaders")
    func noErrorHeaders() {
        #expect(NexError(replyHeaders: [:], body: Data("{}".utf8)) == nil)
        #expect(NexError(replyHeaders: headers(code: nil, message: "ignored without a code"), body: Data()) == nil)
        #expect(NexError(replyHeaders: headers(code: "", message: "x"), body: Data()) == nil)
    }

    @Test("TestNexErrorFromMsg_MalformedBody")
    func malformedBody() throws {
        let error = try #require(NexError(replyHeaders: headers(code: "400", message: "bad request"),
                                          body: Data("not json".utf8)))
        #expect(error == NexError(id: "", error: "bad request", body: "bad request", status: 400))
    }

    @Test("TestNexErrorFromMsg_EmptyBodyError")
    func emptyBodyError() throws {
        let error = try #require(NexError(replyHeaders: headers(code: "404", message: "not found"),
                                          body: Data(#"{"error_id":"id-456","error":""}"#.utf8)))
        #expect(error == NexError(id: "id-456", error: "not found", body: "not found", status: 404))
    }

    @Test("TestNexErrorFromMsg_SatisfiesNexErrorI")
    func accessors() throws {
        let error = try #require(NexError(replyHeaders: headers(code: "500", message: "server error"),
                                          body: Data(#"{"error_id":"abc","error":"detail"}"#.utf8)))
        #expect(error.id == "abc")
        #expect(error.error == "detail")
        #expect(error.body == "server error")
        #expect(error.status == 500)
    }

    @Test("agent errors carry code 100; non-numeric codes give status 0; empty bodies fall back to the header")
    func agentAndOddCodes() throws {
        let agent = try #require(NexError(replyHeaders: headers(code: "100", message: "namespace not found"),
                                          body: Data(#"{"id":"abc123","message":"workload not found","stopped":false,"workload_type":"inmem"}"#.utf8)))
        #expect(agent.status == 100)
        #expect(agent.error == "namespace not found")
        #expect(agent.id == "")
        let odd = try #require(NexError(replyHeaders: headers(code: "teapot", message: nil), body: Data()))
        #expect(odd.status == 0)
        #expect(odd.error == "")
        let nullBody = try #require(NexError(replyHeaders: headers(code: "500", message: "m"), body: Data("null".utf8)))
        #expect(nullBody.id == "" && nullBody.error == "m")
    }

    @Test("node error replies: headers, body and 5xx masking (protocol.md §6.1)")
    func replies() throws {
        let badRequest = NexError.service(status: 400, friendly: "failed to unmarshal auction request",
                                          detail: "field agent_type in AuctionRequest: required", id: "E1")
        #expect(badRequest.reply.headers == [
            "Nats-Service-Error": ["failed to unmarshal auction request"],
            "Nats-Service-Error-Code": ["400"],
        ])
        #expect(String(decoding: badRequest.reply.body, as: UTF8.self)
                == #"{"error_id":"E1","error":"field agent_type in AuctionRequest: required"}"#)

        let forbidden = NexError.service(status: 403, friendly: "namespace mismatch: user != other",
                                         detail: "namespace mismatch", id: "E2")
        #expect(String(decoding: forbidden.reply.body, as: UTF8.self) == #"{"error_id":"E2","error":"namespace mismatch"}"#)

        let internalError = NexError.service(status: 500, friendly: "failed to mint workload nats connection",
                                             detail: "signing key <missing> & co", id: "E3")
        #expect(internalError.reply.headers[NexHeader.serviceErrorCode] == ["500"])
        #expect(String(decoding: internalError.reply.body, as: UTF8.self)
                == #"{"error_id":"E3","error":"internal server error"}"#)

        // What the client makes of them.
        let seen = try #require(NexError(replyHeaders: internalError.reply.headers, body: internalError.reply.body))
        #expect(seen == NexError(id: "E3", error: "internal server error",
                                 body: "failed to mint workload nats connection", status: 500))
        let seen403 = try #require(NexError(replyHeaders: forbidden.reply.headers, body: forbidden.reply.body))
        #expect(seen403.error == "namespace mismatch" && seen403.body == "namespace mismatch: user != other")
        #expect(!NexError.service(status: 404, friendly: "workload type not found", detail: "x").id.isEmpty)
    }

    @Test("agent error replies carry code 100 and the given body")
    func agentReply() throws {
        let body = try GoJSON.encode(StopWorkloadResponse.notFound(id: "abc123"))
        let reply = ServiceErrorReply.agent("namespace not found", body: body)
        #expect(reply.headers == ["Nats-Service-Error": ["namespace not found"], "Nats-Service-Error-Code": ["100"]])
        #expect(reply.body == body)
        #expect(ServiceErrorReply.agent("boom").body.isEmpty)
    }
}
