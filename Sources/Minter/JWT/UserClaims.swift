import Foundation

/// The claims of a NATS user JWT (Go `jwt.UserClaims`). The standard claims are reachable directly
/// (`claims.subject`, `claims.expires`, …) through `base`.
@dynamicMemberLookup
public struct UserClaims: Sendable, Equatable {
    /// Standard claims: `sub` must be a user public key (`U…`).
    public var base: ClaimsData
    /// `pub`, `sub`, `resp`.
    public var permissions: Permissions
    /// `src`: CIDR blocks the user may connect from.
    public var sourceNetworks: [String] = []
    /// `times`: daily connect windows.
    public var times: [TimeRange] = []
    /// `times_location`: IANA time zone of `times`.
    public var timesLocation: String = ""
    /// `subs`, `data`, `payload` (-1 = unlimited, the default of Go's `NewUserClaims`).
    public var limits: NatsLimits = .unlimited
    /// `bearer_token`: connect without proving possession of the user seed.
    public var bearerToken: Bool = false
    /// `allowed_connection_types`, e.g. `STANDARD`, `WEBSOCKET`.
    public var allowedConnectionTypes: [String] = []
    /// `issuer_account`: the account public key when the JWT is signed by one of its signing keys.
    public var issuerAccount: String = ""
    /// `tags`.
    public var tags: [String] = []
    /// `version` as decoded (always written as 2).
    public private(set) var version: Int = NATSJWT.libraryVersion

    /// Claims for the user `subject` (a `U…` public key) with unlimited limits and no permissions.
    public init(subject: String, name: String = "", permissions: Permissions = Permissions()) {
        base = ClaimsData(subject: subject, name: name)
        self.permissions = permissions
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ClaimsData, Value>) -> Value {
        get { base[keyPath: keyPath] }
        set { base[keyPath: keyPath] = newValue }
    }

    /// Signs the claims with an account key (the account itself or one of its signing keys; then set
    /// `issuerAccount`). `iss`, `iat` and `jti` are filled in as Go's `Encode` does.
    public func encode(signedBy issuer: KeyPair, issuedAt: Date = Date()) throws(JWTError) -> String {
        try NATSJWT.encode(self, signedBy: issuer, issuedAt: issuedAt)
    }

    /// Decodes and verifies a user JWT: header, signature by `iss` (an account key), and, unless `now` is nil,
    /// expiry and not-before against `now`.
    public static func decode(_ token: String, now: Date? = Date()) throws(JWTError) -> UserClaims {
        try NATSJWT.decode(UserClaims.self, from: token, now: now)
    }
}

extension UserClaims: NATSClaimsBody {
    static let claimType = "user"
    static let issuerTypes: [NKeyType] = [.account]
    static let subjectType: NKeyType = .user

    func writeNATS(into object: inout GoJSONObject) {
        permissions.write(into: &object)
        object.strings("src", sourceNetworks)
        if !times.isEmpty { object.raw("times", "[" + times.map(\.json).joined(separator: ",") + "]") }
        object.string("times_location", timesLocation)
        limits.write(into: &object)
        object.bool("bearer_token", bearerToken)
        object.strings("allowed_connection_types", allowedConnectionTypes)
        object.string("issuer_account", issuerAccount)
        object.strings("tags", tags)
        object.string("type", UserClaims.claimType)
        object.int("version", NATSJWT.libraryVersion)
    }
}

extension UserClaims: Decodable {
    private enum TopKeys: String, CodingKey { case nats }
    private enum NATSKeys: String, CodingKey {
        case src, times, timesLocation = "times_location", bearerToken = "bearer_token"
        case allowedConnectionTypes = "allowed_connection_types", issuerAccount = "issuer_account"
        case tags, version
    }

    public init(from decoder: any Decoder) throws {
        base = try ClaimsData(from: decoder)
        let top = try decoder.container(keyedBy: TopKeys.self)
        let natsDecoder = try top.superDecoder(forKey: .nats)
        permissions = try Permissions(from: natsDecoder)
        limits = try NatsLimits(from: natsDecoder, absentValue: 0)
        let nats = try natsDecoder.container(keyedBy: NATSKeys.self)
        sourceNetworks = try nats.decodeCIDRList(forKey: .src)
        times = try nats.decodeIfPresent([TimeRange].self, forKey: .times) ?? []
        timesLocation = try nats.decodeIfPresent(String.self, forKey: .timesLocation) ?? ""
        bearerToken = try nats.decodeIfPresent(Bool.self, forKey: .bearerToken) ?? false
        allowedConnectionTypes = try nats.decodeIfPresent([String].self, forKey: .allowedConnectionTypes) ?? []
        issuerAccount = try nats.decodeIfPresent(String.self, forKey: .issuerAccount) ?? ""
        tags = try nats.decodeIfPresent([String].self, forKey: .tags) ?? []
        version = try nats.decodeIfPresent(Int.self, forKey: .version) ?? 0
    }
}

extension KeyedDecodingContainer {
    /// Go's `CIDRList` accepts an array of strings or one comma-separated string.
    func decodeCIDRList(forKey key: Key) throws -> [String] {
        if let list = try? decodeIfPresent([String].self, forKey: key) { return list }
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return [] }
        return text.lowercased().split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
