import CNats

/// An error from the NATS layer. `status` is the nats.c status code (see `nats/status.h`).
public struct NatsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case timeout
        case noResponders
        case connectionClosed
        case notPermitted
        case authenticationFailed
        case noServers
        case invalidArgument
        case notFound
        case slowConsumer
        /// The server, or the account, has no JetStream (no responders on the JetStream API, or "not enabled").
        case jetStreamUnavailable
        case other
    }

    public var kind: Kind
    public var status: Int
    public var message: String

    public init(kind: Kind, status: Int = 0, message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    public var description: String { message }

    public static func timeout(_ what: String) -> NatsError {
        NatsError(kind: .timeout, status: Int(NATS_TIMEOUT.rawValue), message: "\(what): timed out")
    }

    public static func noResponders(_ subject: String) -> NatsError {
        NatsError(kind: .noResponders, status: Int(NATS_NO_RESPONDERS.rawValue), message: "no responders on \(subject)")
    }

    /// Builds an error from a nats.c status, adding the thread's last error text when it says more.
    init(_ status: natsStatus, _ context: String) {
        let text = natsStatus_GetText(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        var detail = ""
        if let last = nats_GetLastError(nil) {
            let lastText = String(cString: last)
            if !lastText.isEmpty && lastText != text { detail = " (\(lastText))" }
        }
        self.init(kind: Self.kind(of: status), status: Int(status.rawValue), message: "\(context): \(text)\(detail)")
    }

    static func kind(of status: natsStatus) -> Kind {
        switch status {
        case NATS_TIMEOUT: return .timeout
        case NATS_NO_RESPONDERS: return .noResponders
        case NATS_CONNECTION_CLOSED: return .connectionClosed
        case NATS_NOT_PERMITTED: return .notPermitted
        case NATS_CONNECTION_AUTH_FAILED: return .authenticationFailed
        case NATS_NO_SERVER: return .noServers
        case NATS_INVALID_ARG: return .invalidArgument
        case NATS_NOT_FOUND: return .notFound
        case NATS_SLOW_CONSUMER: return .slowConsumer
        default: return .other
        }
    }
}

/// Throws a `NatsError` unless `status` is NATS_OK.
@inline(__always)
func check(_ status: natsStatus, _ context: @autoclosure () -> String) throws(NatsError) {
    if status != NATS_OK { throw NatsError(status, context()) }
}
