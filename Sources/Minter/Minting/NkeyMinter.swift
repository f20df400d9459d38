/// The user-nkey strategy: every agent and workload receives the same configured user nkey and seed
/// (the Go reference behaviour; there is no per-workload scoping).
public struct NkeyMinter: CredentialMinter {
    public let strategy = MintingStrategy.userNkey
    public let servers: [String]
    /// The user public key (`U…`).
    public let nkey: String
    private let seed: String

    /// - Parameters:
    ///   - nkey: the user public key (`U…`).
    ///   - seed: its user seed (`SU…`); it must belong to `nkey`.
    public init(nkey: String, seed: String, servers: [String]) throws(MinterError) {
        let pair: KeyPair
        do {
            _ = try NKeys.decodePublicKey(nkey, expecting: .user, role: "issuer nkey")
            pair = try KeyPair(seed: seed, expecting: .user, role: "issuer nkey seed")
        } catch {
            throw .invalidKey(error)
        }
        let nkey = nkey.trimmingWhitespace()
        guard pair.publicKey == nkey else {
            throw .nkeyDoesNotMatchSeed(nkey: nkey, seedPublicKey: pair.publicKey)
        }
        self.nkey = nkey
        self.seed = seed.trimmingWhitespace()
        self.servers = servers
    }

    public var securityWarning: String? {
        "user-nkey credentials: every agent and workload shares the identity \(nkey) and receives its seed; "
            + "use a signing key for per-workload isolation"
    }

    public func mintRegistration(agentID: String, nodeID: String) throws(MinterError) -> MintedCredentials {
        credentials
    }

    public func mintAgent(agentID: String, profile: AgentProfile) throws(MinterError) -> MintedCredentials {
        credentials
    }

    public func mintWorkload(namespace: String, workloadID: String) throws(MinterError) -> MintedCredentials {
        credentials
    }

    private var credentials: MintedCredentials {
        MintedCredentials(servers: servers, userSeed: seed, userNkey: nkey)
    }
}
