import Foundation
import NATSKit
import NexClient
import NexProtocol
import Testing

/// protocol.md §7.3: client-made errors and error detection on replies.
@Suite struct ClientErrorTests {
    @Test func clientMadeErrorsGetUniqueNonEmptyIDs() {
        let errors = [
            NexError.internalError("a"), NexError.badRequest("b"), NexError.notFound("c"), NexError.internalError("d"),
        ]
        #expect(Set(errors.map(\.id)).count == 4)
        #expect(errors.allSatisfy { !$0.id.isEmpty })
    }

    @Test func clientMadeErrorStatuses() {
        #expect(NexError.internalError("x").status == 500)
        #expect(NexError.badRequest("x").status == 400)
        #expect(NexError.notFound("x").status == 404)
    }

    @Test func rawTextAndFriendlyBodyStaySeparate() {
        let error = NexError.internalError("dial tcp: refused", body: "failed to request node info")
        #expect(error.error == "dial tcp: refused")
        #expect(error.body == "failed to request node info")
        #expect(error.description == "dial tcp: refused")
    }

    @Test func errorHeadersWithBody() {
        let message = reply(code: "500", friendly: "internal server error", body: #"{"error_id":"corr-123","error":"something broke"}"#)
        let error = NexError(reply: message)
        #expect(error == NexError(id: "corr-123", error: "something broke", body: "internal server error", status: 500))
    }

    @Test func noErrorHeadersIsNotAnError() {
        #expect(NexError(reply: NatsMessage(subject: "x", payload: Data("{}".utf8))) == nil)
    }

    @Test func malformedBodyFallsBackToTheHeader() {
        let error = NexError(reply: reply(code: "400", friendly: "bad request", body: "not json"))
        #expect(error?.error == "bad request")
        #expect(error?.body == "bad request")
        #expect(error?.status == 400)
        #expect(error?.id == "")
    }

    @Test func emptyBodyErrorFallsBackToTheHeader() {
        let error = NexError(reply: reply(code: "404", friendly: "not found", body: #"{"error_id":"id-456","error":""}"#))
        #expect(error?.id == "id-456")
        #expect(error?.error == "not found")
        #expect(error?.status == 404)
    }

    @Test func agentErrorsHaveStatus100() {
        let error = NexError(reply: reply(code: "100", friendly: "namespace not found", body: #"{"id":"w","name":"n"}"#))
        #expect(error?.status == 100)
        #expect(error?.error == "namespace not found")
    }

    @Test func nonNumericCodeIsStatusZero() {
        #expect(NexError(reply: reply(code: "oops", friendly: "x", body: ""))?.status == 0)
    }

    @Test func errorListCollapsesAndJoins() {
        let one = NexError(id: "a", error: "first", body: "First", status: 500)
        let two = NexError(id: "b", error: "second", body: "Second", status: 400)
        #expect(NexErrorList([one]).collapsed == one)
        let collapsed = NexErrorList([one, two]).collapsed
        #expect(collapsed.id == "a")
        #expect(collapsed.status == 500)
        #expect(collapsed.error == "first\nsecond")
        #expect(NexErrorList([one, two]).description == "first\nsecond")
    }

    @Test func gatherOutcomeGetThrowsWhenAnyNodeFailed() throws {
        let fine = GatherOutcome(value: [1, 2], stopReason: .stalled)
        #expect(try fine.get() == [1, 2])
        #expect(fine.isComplete)
        let partial = GatherOutcome(value: [1], errors: [NexError.internalError("x")], stopReason: .stalled)
        #expect(!partial.isComplete)
        #expect(throws: NexErrorList.self) { try partial.get() }
    }

    private func reply(code: String, friendly: String, body: String) -> NatsMessage {
        var headers = NatsHeaders()
        headers.set(NexHeader.serviceErrorCode, code)
        headers.set(NexHeader.serviceError, friendly)
        return NatsMessage(subject: "_INBOX.x", payload: Data(body.utf8), headers: headers)
    }
}
