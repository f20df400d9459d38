/// Picks the minting strategy from the node's credential settings, in the order of the Go CLI
/// (`node up`, credentials-state-native-cli.md §1.2): signing key + root account, else user nkey, else full access.
public struct MinterSelection: Sendable, Equatable {
    /// `--issuer-signing-key`: an account seed (`SA…`).
    public var signingKey: String
    /// `--issuer-signing-key-root-account`: the account public key (`A…`).
    public var rootAccount: String
    /// `--issuer-nkey`: a user public key (`U…`).
    public var nkey: String
    /// `--issuer-nkey-seed`: its user seed (`SU…`).
    public var nkeySeed: String

    public init(signingKey: String = "", rootAccount: String = "", nkey: String = "", nkeySeed: String = "") {
        self.signingKey = signingKey
        self.rootAccount = rootAccount
        self.nkey = nkey
        self.nkeySeed = nkeySeed
    }

    /// The half-configured pairs, with the Go CLI's messages (empty when the settings are consistent).
    public var problems: [String] {
        var problems: [String] = []
        if !signingKey.isEmpty && rootAccount.isEmpty { problems.append("root-account-key must be provided if signing-key is provided") }
        if signingKey.isEmpty && !rootAccount.isEmpty { problems.append("signing-key must be provided if root-account-key is provided") }
        if !nkey.isEmpty && nkeySeed.isEmpty { problems.append("nkey-seed must be provided if nkey is provided") }
        if nkey.isEmpty && !nkeySeed.isEmpty { problems.append("nkey must be provided if nkey-seed is provided") }
        return problems
    }

    /// The strategy these settings select.
    public var strategy: MintingStrategy {
        if !signingKey.isEmpty && !rootAccount.isEmpty { return .signingKey }
        if !nkey.isEmpty { return .userNkey }
        return .fullAccess
    }

    /// Builds the selected minter; fails on half pairs (`MinterSelectionError`) or bad keys (`MinterError`).
    /// `legacyAgentInboxes` (the node accepts Go nexlets) lets registration credentials read `_INBOX.>`.
    public func makeMinter(
        nodeID: String, nexus: String, servers: [String],
        validity: Duration? = SigningKeyMinter.defaultValidity, workloadExtraAllow: [String: ExtraAllow] = [:],
        legacyAgentInboxes: Bool = false, artifactBuckets: [String] = []
    ) throws -> any CredentialMinter {
        guard problems.isEmpty else { throw MinterSelectionError(problems: problems) }
        switch strategy {
        case .signingKey:
            return try SigningKeyMinter(signingSeed: signingKey, rootAccount: rootAccount, nodeID: nodeID, nexus: nexus,
                                        servers: servers, validity: validity, workloadExtraAllow: workloadExtraAllow,
                                        legacyAgentInboxes: legacyAgentInboxes, artifactBuckets: artifactBuckets)
        case .userNkey:
            return try NkeyMinter(nkey: nkey, seed: nkeySeed, servers: servers)
        case .fullAccess:
            return FullAccessMinter(servers: servers)
        }
    }
}

/// Credential settings with half-configured pairs; `description` joins the messages with newlines (as Go's
/// `errors.Join`).
public struct MinterSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let problems: [String]

    public var description: String { problems.joined(separator: "\n") }
}
