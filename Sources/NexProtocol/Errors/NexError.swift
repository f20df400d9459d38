/// Status codes carried in `Nats-Service-Error-Code`.
public enum NexErrorCode {
    /// Every agent-side failure.
    public static let agent = 100
    public static let badRequest = 400
    public static let forbidden = 403
    public static let notFound = 404
    public static let internalServerError = 500
}

/// An error of the nex protocol, mirroring Go's `NexError` (`ID/Error/Body/Status`).
///
/// - ``id``: a correlation id; for node errors the `error_id` the node logged, for client-made errors a
///   fresh NUID, empty when an error reply had no parsable body.
/// - ``error``: the raw detail (may contain implementation details).
/// - ``body``: the user-safe friendly message (the `Nats-Service-Error` header text).
/// - ``status``: the HTTP-style status (`100` from agents, `0` if the code header was not numeric).
public struct NexError: Error, Sendable, Equatable, CustomStringConvertible {
    public let id: String
    public let error: String
    public let body: String
    public let status: Int

    public init(id: String, error: String, body: String, status: Int) {
        self.id = id
        self.error = error
        self.body = body
        self.status = status
    }

    /// The raw error text, as Go's `Error()` returns it.
    public var description: String { error }

    /// An error made on this side, with a fresh id.
    public init(status: Int, error: String, body: String? = nil) {
        self.init(id: NUID.next(), error: error, body: body ?? error, status: status)
    }

    /// A 500 made on this side (transport or encoding failure).
    public static func internalError(_ error: String, body: String? = nil) -> NexError {
        NexError(status: NexErrorCode.internalServerError, error: error, body: body)
    }

    /// A 400 made on this side.
    public static func badRequest(_ error: String, body: String? = nil) -> NexError {
        NexError(status: NexErrorCode.badRequest, error: error, body: body)
    }

    /// A 404 made on this side (`node not found`, `workload not found`, `no nodes available for placement`).
    public static func notFound(_ error: String, body: String? = nil) -> NexError {
        NexError(status: NexErrorCode.notFound, error: error, body: body)
    }

    /// A 403 made on this side.
    public static func forbidden(_ error: String, body: String? = nil) -> NexError {
        NexError(status: NexErrorCode.forbidden, error: error, body: body)
    }
}
