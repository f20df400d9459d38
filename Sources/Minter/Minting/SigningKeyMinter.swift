import Foundation

/// The signing-key strategy: every call creates a fresh user nkey and a user JWT scoped by
/// `PermissionSets`, signed by an account signing key with `issuer_account` = the root account.
public struct SigningKeyMinter: CredentialMinter {
    /// Default JWT lifetime of agents and workloads: 90 days (the Go reference: 365); `--credential-lifetime`.
    public static let defaultValidity: Duration = .seconds(90 * 24 * 3600)
    // issue 12: credential lifetime
    /// Registration credentials are used once, right after they are minted: they live at most this long.
    public static let registrationValidity: Duration = .seconds(600)

    public let strategy = MintingStrategy.signingKey
    /// Public key of the node (`N…`), used for agent subjects.
    public let nodeID: String
    /// The nexus name, used for `PINGWORKLOAD`.
    public let nexus: String
    /// Servers echoed into every credential.
    public let servers: [String]
    /// Public key of the account the users belong to (`A…`).
    public let rootAccount: String
    /// JWT lifetime; nil = no `exp`.
    public let validity: Duration?
    /// Extra allow lists per workload namespace.
    public let workloadExtraAllow: [String: ExtraAllow]
    /// Registration credentials also subscribe `_INBOX.>`, for Go nexlets (decisions.md §7).
    public let legacyAgentInboxes: Bool
    // issue 12: object-store permissions
    /// Object-store buckets whose objects agents may read (`nats://` artifacts); empty = none.
    public let artifactBuckets: [String]
    private let signer: KeyPair
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - signingSeed: an account seed (`SA…`): the root account's own key or one of its signing keys.
    ///   - rootAccount: the account public key (`A…`).
    ///   - clock: the time used for `iat` and `exp` (injectable for tests).
    public init(
        signingSeed: String, rootAccount: String, nodeID: String, nexus: String, servers: [String],
        validity: Duration? = SigningKeyMinter.defaultValidity, workloadExtraAllow: [String: ExtraAllow] = [:],
        legacyAgentInboxes: Bool = false, artifactBuckets: [String] = [],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(MinterError) {
        do {
            signer = try KeyPair(seed: signingSeed, expecting: .account, role: "issuer signing key")
            _ = try NKeys.decodePublicKey(rootAccount, expecting: .account, role: "root account")
        } catch {
            throw .invalidKey(error)
        }
        try MintedSubject.validate(nodeID, role: "node id")
        try MintedSubject.validate(nexus, role: "nexus")
        for (namespace, extra) in workloadExtraAllow {
            _ = try PermissionSets.workload(namespace: namespace, workloadID: "check", extra: extra)
        }
        self.rootAccount = rootAccount.trimmingWhitespace()
        self.nodeID = nodeID
        self.nexus = nexus
        self.servers = servers
        self.validity = validity
        self.workloadExtraAllow = workloadExtraAllow
        self.legacyAgentInboxes = legacyAgentInboxes
        for bucket in artifactBuckets { _ = try PermissionSets.objectStoreRead(bucket: bucket) }
        self.artifactBuckets = artifactBuckets
        self.clock = clock
    }

    /// Public key of the signing key.
    public var signingKey: String { signer.publicKey }

    public func mintRegistration(agentID: String, nodeID: String) throws(MinterError) -> MintedCredentials {
        try mint(name: agentID, permissions: PermissionSets.registration(agentID: agentID, nodeID: nodeID, legacyInbox: legacyAgentInboxes),
                 validity: validity.map { min($0, Self.registrationValidity) } ?? Self.registrationValidity)
    }

    public func mintAgent(agentID: String, profile: AgentProfile) throws(MinterError) -> MintedCredentials {
        var (publish, subscribe) = ([String](), [String]())
        for bucket in artifactBuckets {
            let grants = try PermissionSets.objectStoreRead(bucket: bucket)
            publish += grants.publish
            subscribe += grants.subscribe
        }
        return try mint(name: agentID, permissions: PermissionSets.agent(
            agentID: agentID, nodeID: nodeID, nexus: nexus, profile: profile, extraPublish: publish, extraSubscribe: subscribe))
    }

    public func mintWorkload(namespace: String, workloadID: String) throws(MinterError) -> MintedCredentials {
        let extra = workloadExtraAllow[namespace] ?? ExtraAllow()
        return try mint(name: workloadID, permissions: PermissionSets.workload(namespace: namespace, workloadID: workloadID, extra: extra))
    }

    private func mint(name: String, permissions: Permissions) throws(MinterError) -> MintedCredentials {
        try mint(name: name, permissions: permissions, validity: validity)
    }

    private func mint(name: String, permissions: Permissions, validity: Duration?) throws(MinterError) -> MintedCredentials {
        let user: KeyPair
        do {
            user = try KeyPair.generate(.user)
        } catch {
            throw .invalidKey(error)
        }
        let now = clock()
        var claims = UserClaims(subject: user.publicKey, name: name, permissions: permissions)
        claims.issuerAccount = rootAccount
        if let validity {
            claims.expires = Int64(now.timeIntervalSince1970.rounded(.down)) + validity.components.seconds
        }
        do {
            let jwt = try claims.encode(signedBy: signer, issuedAt: now)
            return MintedCredentials(servers: servers, userJWT: jwt, userSeed: user.seed ?? "", inboxPrefix: PermissionSets.inboxPrefix(for: name))
        } catch {
            throw .signing(error)
        }
    }
}
