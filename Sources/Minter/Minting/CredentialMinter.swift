/// Credentials handed to an agent or a workload. The node maps them onto the wire type `NatsConnectionData`
/// (`nats_servers`, `nats_user_jwt`, `nats_user_seed`, `nats_user_nkey`, `nats_user_name`, `nats_user_password`);
/// empty strings mean "not used".
public struct MintedCredentials: Sendable, Equatable {
    /// NATS URLs to connect to (may be empty: consumers then use `nats://127.0.0.1:4222`).
    public var servers: [String]
    /// User JWT (signing-key strategy).
    public var userJWT: String
    /// User seed `SU…` (signing-key and nkey strategies).
    public var userSeed: String
    /// User public nkey `U…` (nkey strategy; with a JWT it is the JWT's subject and is left empty, as in Go).
    public var userNkey: String
    /// User name for user/password authentication.
    public var userName: String
    /// Password for user/password authentication.
    public var password: String
    /// The inbox prefix the holder must use (its credential may subscribe only there), or empty for the
    /// default `_INBOX` (strategies that do not scope inboxes).
    public var inboxPrefix: String

    public init(servers: [String], userJWT: String = "", userSeed: String = "", userNkey: String = "",
                userName: String = "", password: String = "", inboxPrefix: String = "") {
        self.servers = servers
        self.userJWT = userJWT
        self.userSeed = userSeed
        self.userNkey = userNkey
        self.userName = userName
        self.password = password
        self.inboxPrefix = inboxPrefix
    }

    /// The decorated creds text when these are JWT credentials, else nil.
    public var decorated: DecoratedCreds? {
        userJWT.isEmpty || userSeed.isEmpty ? nil : DecoratedCreds(jwt: userJWT, seed: userSeed)
    }
}

/// Which minting strategy a minter implements.
public enum MintingStrategy: String, Sendable, Equatable {
    /// Account signing key + root account: a fresh, scoped user JWT per call.
    case signingKey = "signing-key"
    /// One static user nkey for everybody.
    case userNkey = "user-nkey"
    /// No credentials: everybody connects with whatever the server allows anonymously.
    case fullAccess = "full-access"
}

/// Mints NATS credentials for agents (nexlets) and workloads (Go `models.CredVendor`).
public protocol CredentialMinter: Sendable {
    /// The strategy, for logs and `--check` output.
    var strategy: MintingStrategy { get }

    /// A warning the node must log at start-up, or nil. Set for strategies that are development only.
    var securityWarning: String? { get }

    /// Credentials that only allow `agentID` to send its REGISTER request to `nodeID`.
    func mintRegistration(agentID: String, nodeID: String) throws(MinterError) -> MintedCredentials

    /// The long-lived credentials of a registered agent that speaks `profile`.
    func mintAgent(agentID: String, profile: AgentProfile) throws(MinterError) -> MintedCredentials

    /// Credentials for workload `workloadID` of `namespace`.
    func mintWorkload(namespace: String, workloadID: String) throws(MinterError) -> MintedCredentials
}

extension CredentialMinter {
    public var securityWarning: String? { nil }
}
