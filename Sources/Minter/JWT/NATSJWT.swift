import Foundation

/// What the typed claims add to the shared encoder/decoder.
protocol NATSClaimsBody: Decodable, Sendable {
    /// `nats.type`: `user`, `account` or `operator`.
    static var claimType: String { get }
    /// Key types allowed to sign (Go's `ExpectedPrefixes`).
    static var issuerTypes: [NKeyType] { get }
    /// Key type `sub` must have.
    static var subjectType: NKeyType { get }
    var base: ClaimsData { get set }
    /// Writes the members of the `nats` object in Go's order.
    func writeNATS(into object: inout GoJSONObject)
}

/// Encoding and verification of NATS JWTs (nats-io/jwt v2): `b64url(header).b64url(claims).b64url(ed25519 sig)`.
public enum NATSJWT {
    /// The `version` written into every `nats` object.
    public static let libraryVersion = 2
    /// The header every token gets.
    public static let headerJSON = #"{"typ":"JWT","alg":"ed25519-nkey"}"#

    /// What a verified token says about itself, before it is decoded into typed claims.
    public struct Verified: Sendable, Equatable {
        /// `nats.type`.
        public let claimType: String
        /// The standard claims.
        public let base: ClaimsData
        /// The issuer's key type.
        public let issuerType: NKeyType
        /// The payload JSON bytes.
        public let payload: [UInt8]
    }

    static func encode<Claims: NATSClaimsBody>(
        _ claims: Claims, signedBy signer: KeyPair, issuedAt: Date
    ) throws(JWTError) -> String {
        guard signer.canSign else { throw .signerCannotSign }
        guard Claims.issuerTypes.contains(signer.type) else {
            throw .invalidIssuer("\(Claims.claimType) claims must be signed by \(describe(Claims.issuerTypes)) key, got \(signer.type.withArticle) key")
        }
        guard NKeys.isValidPublicKey(claims.base.subject, type: Claims.subjectType) else {
            throw .invalidSubject("\(Claims.claimType) claims need \(Claims.subjectType.withArticle) public key as subject, got \(String(reflecting: claims.base.subject))")
        }
        var filled = claims
        filled.base.issuer = signer.publicKey
        filled.base.issuedAt = Int64(issuedAt.timeIntervalSince1970.rounded(.down))
        filled.base.id = filled.base.hashID()
        let signingInput = Base64.urlEncode(headerJSON.utf8) + "." + Base64.urlEncode(payloadJSON(filled).utf8)
        let signature: [UInt8]
        do {
            signature = try signer.sign(signingInput.utf8)
        } catch {
            throw .signerCannotSign
        }
        return signingInput + "." + Base64.urlEncode(signature)
    }

    /// The claims JSON exactly as Go writes it: standard claims, then the `nats` object.
    static func payloadJSON<Claims: NATSClaimsBody>(_ claims: Claims) -> String {
        var object = GoJSONObject()
        claims.base.write(into: &object)
        object.object("nats") { claims.writeNATS(into: &$0) }
        return object.json
    }

    static func decode<Claims: NATSClaimsBody>(_ type: Claims.Type, from token: String, now: Date?) throws(JWTError) -> Claims {
        let verified = try verify(token, now: now)
        guard verified.claimType == Claims.claimType else {
            throw .wrongClaimType(expected: Claims.claimType, actual: verified.claimType)
        }
        guard Claims.issuerTypes.contains(verified.issuerType) else {
            throw .invalidIssuer("\(Claims.claimType) claims must be signed by \(describe(Claims.issuerTypes)) key, got \(verified.issuerType.withArticle) key")
        }
        do {
            return try JSONDecoder().decode(Claims.self, from: Data(verified.payload))
        } catch {
            throw .invalidClaimsJSON(String(describing: error))
        }
    }

    /// Checks the header, the signature by the `iss` key and, unless `now` is nil, `exp` and `nbf`.
    /// The caller still has to decide whether it trusts the issuer.
    public static func verify(_ token: String, now: Date? = Date()) throws(JWTError) -> Verified {
        let trimmed = token.trimmingWhitespace()
        let segments = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed(segments: segments.count) }
        try checkHeader(String(segments[0]))
        guard let payload = Base64.urlDecode(String(segments[1])) else { throw .invalidBase64(segment: "payload") }
        let identity = try identify(payload)
        guard let signature = Base64.urlDecode(String(segments[2])) else { throw .invalidBase64(segment: "signature") }

        let issuer: KeyPair
        do {
            issuer = try KeyPair(publicKey: identity.base.issuer)
        } catch {
            throw .invalidIssuer("\(String(reflecting: identity.base.issuer)): \(error)")
        }
        let signingInput = trimmed.utf8.prefix(segments[0].utf8.count + 1 + segments[1].utf8.count)
        guard issuer.verify(signingInput, signature: signature) else { throw .signatureMismatch }

        if let now {
            let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
            if identity.base.expires > 0 && seconds > identity.base.expires {
                throw .expired(expires: identity.base.expires, now: seconds)
            }
            if identity.base.notBefore > 0 && identity.base.notBefore > seconds {
                throw .notYetValid(notBefore: identity.base.notBefore, now: seconds)
            }
        }
        return Verified(claimType: identity.type, base: identity.base, issuerType: issuer.type, payload: payload)
    }

    // MARK: - Helpers

    private struct Header: Decodable {
        let typ: String?
        let alg: String?
    }

    private static func checkHeader(_ segment: String) throws(JWTError) {
        guard let bytes = Base64.urlDecode(segment) else { throw .invalidBase64(segment: "header") }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(bytes)) else {
            throw .invalidHeader("not a JSON object")
        }
        guard header.typ?.uppercased() == "JWT" else {
            throw .invalidHeader("unsupported type \(String(reflecting: header.typ ?? ""))")
        }
        let algorithm = header.alg?.lowercased() ?? ""
        guard algorithm == "ed25519-nkey" || algorithm == "ed25519" else {
            throw .invalidHeader("unexpected algorithm \(String(reflecting: header.alg ?? ""))")
        }
    }

    /// The claim type, version and standard claims of a payload.
    private struct Identity: Decodable {
        let base: ClaimsData
        let type: String
        let legacyType: String?
        let version: Int

        private enum TopKeys: String, CodingKey { case type, nats }
        private enum NATSKeys: String, CodingKey { case type, version }

        init(from decoder: any Decoder) throws {
            base = try ClaimsData(from: decoder)
            let top = try decoder.container(keyedBy: TopKeys.self)
            legacyType = try top.decodeIfPresent(String.self, forKey: .type)
            if top.contains(.nats) {
                let nats = try top.nestedContainer(keyedBy: NATSKeys.self, forKey: .nats)
                type = try nats.decodeIfPresent(String.self, forKey: .type) ?? ""
                version = try nats.decodeIfPresent(Int.self, forKey: .version) ?? 0
            } else {
                type = ""
                version = 0
            }
        }
    }

    private static func identify(_ payload: [UInt8]) throws(JWTError) -> Identity {
        let identity: Identity
        do {
            identity = try JSONDecoder().decode(Identity.self, from: Data(payload))
        } catch {
            throw .invalidClaimsJSON(String(describing: error))
        }
        if identity.legacyType?.isEmpty == false { throw .unsupportedVersion(1) }
        guard identity.version == libraryVersion else { throw .unsupportedVersion(identity.version) }
        return identity
    }

    private static func describe(_ types: [NKeyType]) -> String {
        types.map(\.withArticle).joined(separator: " or ")
    }
}
