import Foundation

/// The claims of a NATS account JWT (Go `jwt.AccountClaims`): limits (including JetStream), signing keys and
/// default permissions. Imports, exports and mappings are not modelled (nex does not use them).
@dynamicMemberLookup
public struct AccountClaims: Sendable, Equatable {
    /// Standard claims: `sub` must be an account public key (`A…`).
    public var base: ClaimsData
    /// `limits`; Go's `NewAccountClaims` defaults (unlimited, JetStream disabled).
    public var limits = OperatorLimits()
    /// `signing_keys`: account public keys allowed to sign user JWTs for this account.
    public var signingKeys: [String] = []
    /// `revocations`: user public key (or `*`) → Unix seconds before which its JWTs are revoked.
    public var revocations: [String: Int64] = [:]
    /// `default_permissions` for users without their own.
    public var defaultPermissions = Permissions()
    /// `description`.
    public var description: String = ""
    /// `info_url`.
    public var infoURL: String = ""
    /// `tags`.
    public var tags: [String] = []
    /// `version` as decoded (always written as 2).
    public private(set) var version: Int = NATSJWT.libraryVersion

    /// Claims for the account `subject` (an `A…` public key).
    public init(subject: String, name: String = "") {
        base = ClaimsData(subject: subject, name: name)
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ClaimsData, Value>) -> Value {
        get { base[keyPath: keyPath] }
        set { base[keyPath: keyPath] = newValue }
    }

    /// Signs the claims with the operator key (or, self-signed, with the account key).
    public func encode(signedBy issuer: KeyPair, issuedAt: Date = Date()) throws(JWTError) -> String {
        try NATSJWT.encode(self, signedBy: issuer, issuedAt: issuedAt)
    }

    /// Decodes and verifies an account JWT (issuer an operator or account key).
    public static func decode(_ token: String, now: Date? = Date()) throws(JWTError) -> AccountClaims {
        try NATSJWT.decode(AccountClaims.self, from: token, now: now)
    }
}

extension AccountClaims: NATSClaimsBody {
    static let claimType = "account"
    static let issuerTypes: [NKeyType] = [.account, .operator]
    static let subjectType: NKeyType = .account

    func writeNATS(into object: inout GoJSONObject) {
        object.object("limits") { limits.write(into: &$0) }
        object.strings("signing_keys", signingKeys)
        if !revocations.isEmpty {
            object.object("revocations") { map in
                for key in revocations.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                    map.int(key, revocations[key] ?? 0, omitEmpty: false)
                }
            }
        }
        object.object("default_permissions") { defaultPermissions.write(into: &$0) }
        object.object("authorization") { _ in }
        object.string("description", description)
        object.string("info_url", infoURL)
        object.strings("tags", tags)
        object.string("type", AccountClaims.claimType)
        object.int("version", NATSJWT.libraryVersion)
    }
}

extension AccountClaims: Decodable {
    private enum TopKeys: String, CodingKey { case nats }
    private enum NATSKeys: String, CodingKey {
        case limits, signingKeys = "signing_keys", revocations, defaultPermissions = "default_permissions"
        case description, infoURL = "info_url", tags, version
    }

    /// A `signing_keys` entry: a key string or a scoped signer object `{"kind":…,"key":…}`.
    private struct SigningKeyEntry: Decodable {
        let key: String
        private enum CodingKeys: String, CodingKey { case key }

        init(from decoder: any Decoder) throws {
            if let key = try? decoder.singleValueContainer().decode(String.self) {
                self.key = key
            } else {
                key = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .key)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        base = try ClaimsData(from: decoder)
        let nats = try decoder.container(keyedBy: TopKeys.self).nestedContainer(keyedBy: NATSKeys.self, forKey: .nats)
        limits = try nats.decodeIfPresent(OperatorLimits.self, forKey: .limits) ?? OperatorLimits()
        signingKeys = try (nats.decodeIfPresent([SigningKeyEntry].self, forKey: .signingKeys) ?? []).map(\.key)
        revocations = try nats.decodeIfPresent([String: Int64].self, forKey: .revocations) ?? [:]
        defaultPermissions = try nats.decodeIfPresent(Permissions.self, forKey: .defaultPermissions) ?? Permissions()
        description = try nats.decodeIfPresent(String.self, forKey: .description) ?? ""
        infoURL = try nats.decodeIfPresent(String.self, forKey: .infoURL) ?? ""
        tags = try nats.decodeIfPresent([String].self, forKey: .tags) ?? []
        version = try nats.decodeIfPresent(Int.self, forKey: .version) ?? 0
    }
}
