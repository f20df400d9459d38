/// Why credentials could not be minted or a minter could not be configured.
public enum MinterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An id or namespace that would not be a single, literal subject token: it would widen a permission
    /// (`a.>`, `*`), break the subject (`.`, spaces) or reach into system subjects (`$JS`, `$SYS`).
    case invalidSubjectToken(role: String, value: String, reason: String)
    /// An extra allow-list entry that is not a valid NATS subject.
    case invalidSubject(String)
    /// A configured key or seed is malformed or of the wrong type.
    case invalidKey(NKeyError)
    /// The user nkey and seed of the nkey strategy do not belong together.
    case nkeyDoesNotMatchSeed(nkey: String, seedPublicKey: String)
    /// Signing the user JWT failed.
    case signing(JWTError)

    public var description: String {
        switch self {
        case .invalidSubjectToken(let role, let value, let reason):
            "invalid \(role) \(String(reflecting: value)): \(reason)"
        case .invalidSubject(let subject):
            "invalid subject \(String(reflecting: subject)) in an allow list"
        case .invalidKey(let error):
            "\(error)"
        case .nkeyDoesNotMatchSeed(let nkey, let seedPublicKey):
            "user nkey \(nkey) does not match its seed (the seed's public key is \(seedPublicKey))"
        case .signing(let error):
            "cannot sign user JWT: \(error)"
        }
    }
}
