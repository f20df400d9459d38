import Foundation
import NATSKit
import NexProtocol

extension MicroRequest {
    /// The last token of the subject (the workload id of `…STARTWORKLOAD.<id>`, `…STOPWORKLOAD.<id>`, …).
    var lastSubjectToken: String {
        subject.split(separator: ".", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    }

    /// Replies with Go-compatible JSON.
    func reply<Value: Encodable>(_ value: Value, headers: NatsHeaders = NatsHeaders()) {
        do {
            respond(try GoJSON.encode(value), headers: headers)
        } catch {
            respondError(code: String(NexErrorCode.agent), description: "cannot encode the reply: \(error)", headers: headers)
        }
    }

    /// An agent error reply: code `100`, the error text as description, an optional JSON body.
    func replyAgentError<Body: Encodable>(_ text: String, body: Body?, headers: NatsHeaders = NatsHeaders()) {
        let payload = body.flatMap { try? GoJSON.encode($0) } ?? Data()
        respondError(code: String(NexErrorCode.agent), description: text, body: payload, headers: headers)
    }

    /// An agent error reply without a body.
    func replyAgentError(_ text: String, headers: NatsHeaders = NatsHeaders()) {
        respondError(code: String(NexErrorCode.agent), description: text, headers: headers)
    }
}
