import Foundation

/// The claims of a NATS operator JWT (Go `jwt.OperatorClaims`), self-signed by the operator key.
@dynamicMemberLookup
public struct OperatorClaims: Sendable, Equatable {
    /// Standard claims: `sub` must be an operator public key (`O…`).
    public var base: ClaimsData
    /// `signing_keys`: operator public keys allowed to sign account JWTs.
    public var signingKeys: [String] = []
    /// `account_server_url`.
    public var accountServerURL: String = ""
    /// `operator_service_urls`.
    public var operatorServiceURLs: [String] = []
    /// `system_account`: public key of the system account.
    public var systemAccount: String = ""
    /// `assert_server_version`: minimum nats-server version.
    public var assertServerVersion: String = ""
    /// `strict_signing_key_usage`: accounts must be signed by a signing key, not the operator key.
    public var strictSigningKeyUsage: Bool = false
    /// `tags`.
    public var tags: [String] = []
    /// `version` as decoded (always written as 2).
    public private(set) var version: Int = NATSJWT.libraryVersion

    /// Claims for the operator `subject` (an `O…` public key).
    public init(subject: String, name: String = "") {
        base = ClaimsData(subject: subject, name: name)
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ClaimsData, Value>) -> Value {
        get { base[keyPath: keyPath] }
        set { base[keyPath: keyPath] = newValue }
    }

    /// Signs the claims with the operator key (or one of its signing keys).
    public func encode(signedBy issuer: KeyPair, issuedAt: Date = Date()) throws(JWTError) -> String {
        try NATSJWT.encode(self, signedBy: issuer, issuedAt: issuedAt)
    }

    /// Decodes and verifies an operator JWT.
    public static func decode(_ token: String, now: Date? = Date()) throws(JWTError) -> OperatorClaims {
        try NATSJWT.decode(OperatorClaims.self, from: token, now: now)
    }
}

extension OperatorClaims: NATSClaimsBody {
    static let claimType = "operator"
    static let issuerTypes: [NKeyType] = [.operator]
    static let subjectType: NKeyType = .operator

    func writeNATS(into object: inout GoJSONObject) {
        object.strings("signing_keys", signingKeys)
        object.string("account_server_url", accountServerURL)
        object.strings("operator_service_urls", operatorServiceURLs)
        object.string("system_account", systemAccount)
        object.string("assert_server_version", assertServerVersion)
        object.bool("strict_signing_key_usage", strictSigningKeyUsage)
        object.strings("tags", tags)
        object.string("type", OperatorClaims.claimType)
        object.int("version", NATSJWT.libraryVersion)
    }
}

extension OperatorClaims: Decodable {
    private enum TopKeys: String, CodingKey { case nats }
    private enum NATSKeys: String, CodingKey {
        case signingKeys = "signing_keys", accountServerURL = "account_server_url"
        case operatorServiceURLs = "operator_service_urls", systemAccount = "system_account"
        case assertServerVersion = "assert_server_version", strictSigningKeyUsage = "strict_signing_key_usage"
        case tags, version
    }

    public init(from decoder: any Decoder) throws {
        base = try ClaimsData(from: decoder)
        let nats = try decoder.container(keyedBy: TopKeys.self).nestedContainer(keyedBy: NATSKeys.self, forKey: .nats)
        signingKeys = try nats.decodeIfPresent([String].self, forKey: .signingKeys) ?? []
        accountServerURL = try nats.decodeIfPresent(String.self, forKey: .accountServerURL) ?? ""
        operatorServiceURLs = try nats.decodeIfPresent([String].self, forKey: .operatorServiceURLs) ?? []
        systemAccount = try nats.decodeIfPresent(String.self, forKey: .systemAccount) ?? ""
        assertServerVersion = try nats.decodeIfPresent(String.self, forKey: .assertServerVersion) ?? ""
        strictSigningKeyUsage = try nats.decodeIfPresent(Bool.self, forKey: .strictSigningKeyUsage) ?? false
        tags = try nats.decodeIfPresent([String].self, forKey: .tags) ?? []
        version = try nats.decodeIfPresent(Int.self, forKey: .version) ?? 0
    }
}
