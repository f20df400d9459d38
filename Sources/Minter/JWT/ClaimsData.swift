import Foundation

/// The standard claims every NATS JWT carries (Go `jwt.ClaimsData`), in Go's field order.
public struct ClaimsData: Sendable, Equatable {
    /// `aud`.
    public var audience: String = ""
    /// `exp`: Unix seconds; 0 = never expires.
    public var expires: Int64 = 0
    /// `jti`: base32 of SHA-512/256 of these claims with `jti` empty (set when encoding).
    public var id: String = ""
    /// `iat`: Unix seconds (set when encoding).
    public var issuedAt: Int64 = 0
    /// `iss`: public key of the signer (set when encoding).
    public var issuer: String = ""
    /// `name`.
    public var name: String = ""
    /// `nbf`: Unix seconds; 0 = valid immediately.
    public var notBefore: Int64 = 0
    /// `sub`: the public key the claims are about.
    public var subject: String = ""

    public init(subject: String = "", name: String = "", expires: Int64 = 0) {
        self.subject = subject
        self.name = name
        self.expires = expires
    }

    /// `exp` as a date, nil when the claims never expire.
    public var expiresAt: Date? {
        expires == 0 ? nil : Date(timeIntervalSince1970: TimeInterval(expires))
    }

    /// Writes the fields in Go's order with `omitempty`.
    func write(into object: inout GoJSONObject) {
        object.string("aud", audience)
        object.int("exp", expires)
        object.string("jti", id)
        object.int("iat", issuedAt)
        object.string("iss", issuer)
        object.string("name", name)
        object.int("nbf", notBefore)
        object.string("sub", subject)
    }

    /// The JWT id: base32 (no padding) of SHA-512/256 over the Go JSON of these claims with `jti` empty.
    func hashID() -> String {
        var copy = self
        copy.id = ""
        var object = GoJSONObject()
        copy.write(into: &object)
        return Base32.encode(SHA512_256.hash(Array(object.json.utf8)))
    }
}

extension ClaimsData: Decodable {
    enum CodingKeys: String, CodingKey {
        case audience = "aud", expires = "exp", id = "jti", issuedAt = "iat", issuer = "iss", name
        case notBefore = "nbf", subject = "sub"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        audience = try container.decodeIfPresent(String.self, forKey: .audience) ?? ""
        expires = try container.decodeIfPresent(Int64.self, forKey: .expires) ?? 0
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        issuedAt = try container.decodeIfPresent(Int64.self, forKey: .issuedAt) ?? 0
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer) ?? ""
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        notBefore = try container.decodeIfPresent(Int64.self, forKey: .notBefore) ?? 0
        subject = try container.decodeIfPresent(String.self, forKey: .subject) ?? ""
    }
}
