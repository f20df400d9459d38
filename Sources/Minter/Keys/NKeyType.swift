/// The kinds of NKeys, identified by the prefix byte of their public key.
public enum NKeyType: String, Sendable, CaseIterable, CustomStringConvertible {
    case `operator`
    case account
    case user
    /// A nats-server (or nex node) key, `N…`.
    case server
    case cluster
    /// A curve25519 (X25519) key, `X…`. Used by `XKeyPair`; it cannot sign.
    case curve

    /// The first byte of an encoded public key.
    public var prefixByte: UInt8 {
        switch self {
        case .operator: 14 << 3
        case .account: 0
        case .user: 20 << 3
        case .server: 13 << 3
        case .cluster: 2 << 3
        case .curve: 23 << 3
        }
    }

    /// The first character of an encoded public key (`O`, `A`, `U`, `N`, `C`, `X`).
    public var letter: Character {
        switch self {
        case .operator: "O"
        case .account: "A"
        case .user: "U"
        case .server: "N"
        case .cluster: "C"
        case .curve: "X"
        }
    }

    /// The first two characters of an encoded seed of this type (`SO`, `SA`, `SU`, `SN`, `SC`, `SX`).
    public var seedPrefix: String { "S" + String(letter) }

    /// The type whose public prefix byte is `byte`, if any.
    public init?(prefixByte byte: UInt8) {
        guard let match = NKeyType.allCases.first(where: { $0.prefixByte == byte }) else { return nil }
        self = match
    }

    public var description: String { rawValue }

    /// "an account", "a user", … for error messages.
    var withArticle: String {
        switch self {
        case .operator, .account: "an \(rawValue)"
        default: "a \(rawValue)"
        }
    }
}

/// Prefix bytes that are not key types.
enum NKeyPrefix {
    /// First byte of a decoded seed (before the type bits are mixed in): `S`.
    static let seed: UInt8 = 18 << 3
    /// Private key prefix `P` (not used by nex).
    static let `private`: UInt8 = 15 << 3
}
