import NexProtocol

/// Why a runner could not register or serve.
public enum NexletRunnerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The runtime's registration would be rejected (checked before contacting the node).
    case invalidRegistration(String)
    /// An agent id, node id or nexus name that cannot be a subject token.
    case invalidIdentifier(String)
    /// Connection data that cannot be used (e.g. a malformed seed).
    case invalidCredentials(String)
    /// No NATS connection could be opened.
    case connectionFailed(purpose: String, servers: [String], reason: String)
    /// Nobody answered REGISTER (no responders or timeout): the node is not running, not reachable with
    /// these credentials, or the node id is wrong.
    case nodeUnreachable(nodeID: String, reason: String)
    /// Nobody answered RREGISTER: no node of the nexus allows remote registration, or it is unreachable.
    case remoteRegistrationUnavailable(nexus: String, reason: String)
    /// The node answered with an error reply (`Nats-Service-Error-Code`/`Nats-Service-Error`, body
    /// `{"error_id","error"}`) or with `success: false`.
    case registrationRefused(code: Int, message: String, detail: String)
    /// The node's reply could not be decoded.
    case invalidResponse(what: String, reason: String)
    /// The agent micro service or one of its endpoints could not be created.
    case serviceFailed(String)
    /// The environment of a local agent process is incomplete or malformed.
    case environment(String)
    /// `run` was called while the runner is already running (or still stopping).
    case alreadyRunning
    /// `stop()` was called while `run` was still registering.
    case stoppedBeforeReady

    public var description: String {
        switch self {
        case .invalidRegistration(let reason): return "invalid nexlet registration: \(reason)"
        case .invalidIdentifier(let reason): return "invalid identifier: \(reason)"
        case .invalidCredentials(let reason): return "invalid connection data: \(reason)"
        case .connectionFailed(let purpose, let servers, let reason):
            return "cannot open the \(purpose) connection to \(servers.joined(separator: ",")): \(reason)"
        case .nodeUnreachable(let nodeID, let reason): return "node \(nodeID) is unreachable: \(reason)"
        case .remoteRegistrationUnavailable(let nexus, let reason):
            return "no node of nexus \(nexus) accepted remote registration: \(reason)"
        case .registrationRefused(let code, let message, let detail):
            let extra = detail.isEmpty || detail == message ? "" : " (\(detail))"
            return "registration refused by the node (code \(code)): \(message)\(extra)"
        case .invalidResponse(let what, let reason): return "invalid \(what) from the node: \(reason)"
        case .serviceFailed(let reason): return "cannot start the agent service: \(reason)"
        case .environment(let reason): return "invalid agent environment: \(reason)"
        case .alreadyRunning: return "the nexlet runner is already running"
        case .stoppedBeforeReady: return "the nexlet runner was stopped before it finished registering"
        }
    }
}
