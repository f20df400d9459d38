/// Why a NATS JWT could not be encoded, decoded or trusted.
public enum JWTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not three dot-separated segments.
    case malformed(segments: Int)
    /// A segment is not base64url without padding.
    case invalidBase64(segment: String)
    /// The header is not `{"typ":"JWT","alg":"ed25519-nkey"}` (or the legacy `ed25519`).
    case invalidHeader(String)
    /// The payload is not the JSON of the expected claims.
    case invalidClaimsJSON(String)
    /// The claims are of another type (`user`, `account`, `operator`, …) than requested.
    case wrongClaimType(expected: String, actual: String)
    /// A v1 JWT or one from a newer library version.
    case unsupportedVersion(Int)
    /// `iss` is not a valid public key of a type allowed to sign these claims.
    case invalidIssuer(String)
    /// `sub` is not a public key of the type these claims require (checked when encoding).
    case invalidSubject(String)
    /// The signer key pair holds only a public key.
    case signerCannotSign
    /// The signature does not verify with the `iss` key (tampered header, payload or signature).
    case signatureMismatch
    /// `exp` has passed.
    case expired(expires: Int64, now: Int64)
    /// `nbf` is in the future.
    case notYetValid(notBefore: Int64, now: Int64)

    public var description: String {
        switch self {
        case .malformed(let segments):
            "malformed JWT: expected 3 segments separated by '.', got \(segments)"
        case .invalidBase64(let segment):
            "malformed JWT: the \(segment) is not base64url without padding"
        case .invalidHeader(let detail):
            "invalid JWT header: \(detail)"
        case .invalidClaimsJSON(let detail):
            "invalid JWT claims: \(detail)"
        case .wrongClaimType(let expected, let actual):
            "expected \(expected) claims, got \(actual.isEmpty ? "claims without a type" : "\(actual) claims")"
        case .unsupportedVersion(let version):
            "unsupported NATS JWT version \(version) (only version 2 is supported)"
        case .invalidIssuer(let detail):
            "invalid JWT issuer: \(detail)"
        case .invalidSubject(let detail):
            "invalid JWT subject: \(detail)"
        case .signerCannotSign:
            "the signing key pair has no seed"
        case .signatureMismatch:
            "JWT signature verification failed (token tampered or signed by another key)"
        case .expired(let expires, let now):
            "JWT expired at \(expires) (now \(now))"
        case .notYetValid(let notBefore, let now):
            "JWT not valid before \(notBefore) (now \(now))"
        }
    }
}
