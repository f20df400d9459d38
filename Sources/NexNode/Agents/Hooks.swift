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
