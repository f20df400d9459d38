import Foundation

/// The body of a node error reply: `{"error_id":"<id>","error":"<detail>"}`.
public struct NexErrorBody: GoJSONObject {
    public var errorID = ""
    public var error = ""

    public init() {}

    public init(errorID: String, error: String) {
        self.errorID = errorID
        self.error = error
    }

    /// Go decodes this with a plain struct: no required keys.
    public static let goFields: [GoField<Self>] = [
        .lenient("error_id", \.errorID),
        .lenient("error", \.error),
    ]
}

/// A micro error reply, NATS-free: the headers and body to publish.
public struct ServiceErrorReply: Sendable, Equatable {
    public let headers: [String: [String]]
    public let body: Data

    /// Headers `Nats-Service-Error: <description>` and `Nats-Service-Error-Code: <code>`, with `body`.
    public init(code: Int, description: String, body: Data = Data()) {
        headers = [
            NexHeader.serviceError: [description],
            NexHeader.serviceErrorCode: [String(code)],
        ]
        self.body = body
    }

    /// An agent failure: code `100`, the error text as description, optional body (e.g. a
    /// `StartWorkloadResponse` or `StopWorkloadResponse`).
    public static func agent(_ description: String, body: Data = Data()) -> ServiceErrorReply {
        ServiceErrorReply(code: NexErrorCode.agent, description: description, body: body)
    }
}

extension NexError {
    /// A node-side failure: `friendly` goes to the `Nats-Service-Error` header, `detail` to the body
    /// (masked for 5xx), `id` is logged with the real detail.
    public static func service(status: Int, friendly: String, detail: String, id: String = NUID.next()) -> NexError {
        NexError(id: id, error: detail, body: friendly, status: status)
    }

    /// The text the reply body carries: the detail for 4xx, `internal server error` for 5xx.
    public var publicDetail: String {
        status >= 500 ? "internal server error" : error
    }

    /// The micro error reply for this error: headers `Nats-Service-Error: <body>`,
    /// `Nats-Service-Error-Code: <status>`, body `{"error_id":"<id>","error":"<detail or masked>"}`.
    public var reply: ServiceErrorReply {
        let payload = (try? GoJSON.encode(NexErrorBody(errorID: id, error: publicDetail))) ?? Data("{}".utf8)
        return ServiceErrorReply(code: status, description: body, body: payload)
    }

    /// Recognises an error reply the way the Go client does: nil when there is no (non-empty)
    /// `Nats-Service-Error-Code` header. Otherwise id = body `error_id` (empty if the body is not that JSON),
    /// error = body `error` when non-empty else the `Nats-Service-Error` text, body = the header text,
    /// status = the code as an integer (0 if not numeric).
    public init?(replyHeaders headers: [String: [String]], body: Data) {
        guard let code = headers[NexHeader.serviceErrorCode]?.first, !code.isEmpty else { return nil }
        let friendly = headers[NexHeader.serviceError]?.first ?? ""
        let decoded = try? GoJSON.decode(NexErrorBody.self, from: body)
        let detail = decoded?.error ?? ""
        self.init(
            id: decoded?.errorID ?? "",
            error: detail.isEmpty ? friendly : detail,
            body: friendly,
            status: Int(code) ?? 0)
    }
}
