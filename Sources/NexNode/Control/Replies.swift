import Foundation
import NATSKit
import NexProtocol

extension NatsHeaders {
    /// Headers from a plain name → values dictionary (names sorted, so the order is stable).
    init(_ dictionary: [String: [String]]) {
        self.init()
        for name in dictionary.keys.sorted() {
            for value in dictionary[name] ?? [] { add(name, value) }
        }
    }
}

extension MicroRequest {
    /// Replies with `value` encoded as Go would.
    func reply<Value: Encodable>(_ value: Value, headers: NatsHeaders = NatsHeaders()) {
        guard let payload = try? GoJSON.encode(value) else {
            fail(.service(status: NexErrorCode.internalServerError, friendly: "failed to marshal response", detail: "encoding \(Value.self) failed"))
            return
        }
        respond(payload, headers: headers)
    }

    /// Replies with a micro error in the node's format (§6.1).
    func fail(_ error: NexError) {
        let reply = error.reply
        respondError(code: String(error.status), description: error.body, body: reply.body)
    }

    /// Forwards another party's reply (body and headers) verbatim.
    func forward(_ message: NatsMessage) {
        respond(message.payload, headers: message.headers)
    }
}

extension NexError {
    static func badRequest(friendly: String, _ detail: Any) -> NexError {
        .service(status: NexErrorCode.badRequest, friendly: friendly, detail: "\(detail)")
    }

    static func internalError(friendly: String, _ detail: Any) -> NexError {
        .service(status: NexErrorCode.internalServerError, friendly: friendly, detail: "\(detail)")
    }

    /// `403 namespace mismatch: <subjectNs> != <bodyNs>` with body error `namespace mismatch`.
    static func namespaceMismatch(subject: String, body: String) -> NexError {
        .service(status: NexErrorCode.forbidden, friendly: "namespace mismatch: \(subject) != \(body)", detail: "namespace mismatch")
    }

    /// The namespace rule of ADEPLOY/UNDEPLOY/CLONE/WPING: a non-system subject must match the body.
    static func checkNamespace(subject: String, body: String) -> NexError? {
        subject == body || subject == NexConstants.systemNamespace ? nil : .namespaceMismatch(subject: subject, body: body)
    }
}
