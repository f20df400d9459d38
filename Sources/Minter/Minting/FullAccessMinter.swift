/// The full-access strategy (development only): no credentials at all; agents and workloads connect with
/// whatever the NATS server allows anonymously. `securityWarning` tells the node to say so.
public struct FullAccessMinter: CredentialMinter {
    public let strategy = MintingStrategy.fullAccess
    public let servers: [String]

    public init(servers: [String]) {
        self.servers = servers
    }

    public var securityWarning: String? {
        "full-access credentials (development only): agents and workloads get no scoped credentials "
            + "and connect with whatever the NATS server allows anonymously"
    }

    public func mintRegistration(agentID: String, nodeID: String) throws(MinterError) -> MintedCredentials {
        MintedCredentials(servers: servers)
    }

    public func mintAgent(agentID: String, profile: AgentProfile) throws(MinterError) -> MintedCredentials {
        MintedCredentials(servers: servers)
    }

    public func mintWorkload(namespace: String, workloadID: String) throws(MinterError) -> MintedCredentials {
        MintedCredentials(servers: servers)
    }
}
