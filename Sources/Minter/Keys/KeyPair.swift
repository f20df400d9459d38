import CSodium

/// An ed25519 NKey: operator, account, user, server or cluster key.
///
/// Built from a seed it can sign and verify; built from a public key it can only verify.
public struct KeyPair: Sendable, Equatable, CustomStringConvertible {
    /// What kind of key this is.
    public let type: NKeyType
    /// The encoded public key, e.g. `UDQ2…` (56 characters).
    public let publicKey: String
    /// The 32-byte raw ed25519 public key.
    public let rawPublicKey: [UInt8]
    /// The 32-byte RFC 8032 seed; nil for public-only key pairs.
    let rawSeed: [UInt8]?
    /// libsodium's 64-byte secret key (seed ‖ public key); nil for public-only key pairs.
    private let secretKey: [UInt8]?

    /// Ed25519 signature size.
    public static let signatureLength = 64

    /// A fresh key pair of `type` from the system CSPRNG.
    public static func generate(_ type: NKeyType) throws(NKeyError) -> KeyPair {
        try KeyPair(rawSeed: Sodium.randomBytes(NKeys.rawKeyLength), type: type)
    }

    /// A key pair from a 32-byte raw seed.
    public init(rawSeed: [UInt8], type: NKeyType) throws(NKeyError) {
        guard type != .curve else { throw .incompatibleKey("curve keys cannot sign; use XKeyPair") }
        guard rawSeed.count == NKeys.rawKeyLength else {
            throw .invalidLength(kind: "raw seed", expected: NKeys.rawKeyLength, actual: rawSeed.count)
        }
        try Sodium.ensureReady()
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_sign_PUBLICKEYBYTES))
        var secretKey = [UInt8](repeating: 0, count: Int(crypto_sign_SECRETKEYBYTES))
        guard crypto_sign_seed_keypair(&publicKey, &secretKey, rawSeed) == 0 else { throw .cryptoUnavailable }
        self.type = type
        self.rawPublicKey = publicKey
        self.rawSeed = rawSeed
        self.secretKey = secretKey
        self.publicKey = try NKeys.encodePublicKey(publicKey, type: type)
    }

    /// A key pair from an encoded seed (`SU…`, `SA…`, `SO…`, `SN…`, `SC…`).
    public init(seed: String) throws(NKeyError) {
        let decoded = try NKeys.decodeSeed(seed)
        try self.init(rawSeed: decoded.raw, type: decoded.type)
    }

    /// A key pair from an encoded seed that must be of `type`; `role` names the seed in the error message,
    /// e.g. `KeyPair(seed: s, expecting: .server, role: "node seed")` fails with
    /// "node seed must be a server seed (SN…), got a user seed".
    public init(seed: String, expecting type: NKeyType, role: String? = nil) throws(NKeyError) {
        let raw = try NKeys.decodeSeed(seed, expecting: type, role: role)
        try self.init(rawSeed: raw, type: type)
    }

    /// A verify-only key pair from an encoded public key.
    public init(publicKey: String) throws(NKeyError) {
        let decoded = try NKeys.decodePublicKey(publicKey)
        guard decoded.type != .curve else { throw .incompatibleKey("curve keys cannot verify signatures") }
        try Sodium.ensureReady()
        self.type = decoded.type
        self.rawPublicKey = decoded.raw
        self.publicKey = publicKey.trimmingWhitespace()
        self.rawSeed = nil
        self.secretKey = nil
    }

    /// A verify-only key pair from an encoded public key that must be of `type`.
    public init(publicKey: String, expecting type: NKeyType, role: String? = nil) throws(NKeyError) {
        _ = try NKeys.decodePublicKey(publicKey, expecting: type, role: role)
        try self.init(publicKey: publicKey)
    }

    /// The encoded seed, or nil for a public-only key pair.
    public var seed: String? {
        guard let rawSeed else { return nil }
        return try? NKeys.encodeSeed(rawSeed, type: type)
    }

    /// True when this key pair can sign.
    public var canSign: Bool { secretKey != nil }

    /// The same key without its secret part.
    public var publicOnly: KeyPair {
        KeyPair(type: type, publicKey: publicKey, rawPublicKey: rawPublicKey)
    }

    private init(type: NKeyType, publicKey: String, rawPublicKey: [UInt8]) {
        self.type = type
        self.publicKey = publicKey
        self.rawPublicKey = rawPublicKey
        self.rawSeed = nil
        self.secretKey = nil
    }

    /// The 64-byte ed25519 signature of `message`.
    public func sign<Message: Sequence>(_ message: Message) throws(NKeyError) -> [UInt8] where Message.Element == UInt8 {
        guard let secretKey else { throw .publicKeyOnly }
        let bytes = Array(message)
        var signature = [UInt8](repeating: 0, count: KeyPair.signatureLength)
        guard crypto_sign_detached(&signature, nil, bytes, UInt64(bytes.count), secretKey) == 0 else {
            throw .cryptoUnavailable
        }
        return signature
    }

    /// True when `signature` is a valid ed25519 signature of `message` by this key.
    public func verify<Message: Sequence>(_ message: Message, signature: [UInt8]) -> Bool where Message.Element == UInt8 {
        guard signature.count == KeyPair.signatureLength else { return false }
        let bytes = Array(message)
        return crypto_sign_verify_detached(signature, bytes, UInt64(bytes.count), rawPublicKey) == 0
    }

    /// Shows the type and public key, never the seed.
    public var description: String { "KeyPair(\(type), \(publicKey)\(canSign ? "" : ", public only"))" }

    public static func == (lhs: KeyPair, rhs: KeyPair) -> Bool {
        lhs.type == rhs.type && lhs.rawPublicKey == rhs.rawPublicKey && lhs.canSign == rhs.canSign
    }
}
