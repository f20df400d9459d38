import NATSKit
import NexProtocol

/// A veto on bids, consulted after the node found a healthy agent and the tags matched.
public protocol Auctioneer: Sendable {
    /// Return nil to bid. Return a verdict to refuse: `fatal` answers the client with
    /// `400 failed to auction` (body error = `reason`); otherwise the node declines quietly.
    func review(namespace: String, request: AuctionRequest) async -> AuctioneerVerdict?
}

public struct AuctioneerVerdict: Sendable, Equatable {
    public var reason: String
    public var fatal: Bool

    public init(reason: String, fatal: Bool) {
        self.reason = reason
        self.fatal = fatal
    }
}

/// Decides whether a nexlet may register (REGISTER) or bootstrap remotely (RREGISTER), given the request
/// headers. A thrown error refuses with `403 failed agent registrar check`.
public protocol AgentRegistrar: Sendable {
    func checkRegistration(agentID: String, request: RegisterAgentRequest, headers: NatsHeaders) async throws
    func checkRemoteBootstrap(headers: NatsHeaders) async throws
}

/// Lets every nexlet in (the default).
public struct AllowAllRegistrar: AgentRegistrar {
    public init() {}
    public func checkRegistration(agentID: String, request: RegisterAgentRequest, headers: NatsHeaders) async throws {}
    public func checkRemoteBootstrap(headers: NatsHeaders) async throws {}
}

/// A nexlet that runs inside the node process (the Nexlet SDK's runner satisfies this with a one-line
/// conformance). `run` returns once the nexlet has registered and serves; it throws when it could not.
public protocol EmbeddedAgentRunner: Sendable {
    var name: String { get }
    func run(agentID: String, nodeID: String, registration: NatsConnectionData) async throws
    func stop() async
}
