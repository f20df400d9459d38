import CSodium
import Synchronization

/// A curve25519 (X25519) key: `X…` public key, `SX…` seed. Used to seal messages in the `xkv1` format.
///
/// The 32 raw seed bytes are the X25519 private scalar itself (clamped inside the scalar multiplication),
/// exactly as nats-io/nkeys does; the public key is `X25519(basepoint, seed)`.
public struct XKeyPair: Sendable, Equatable, CustomStringConvertible {
    /// The encoded public key (`X…`, 56 characters).
    public let publicKey: String
    /// The 32-byte raw public key.
    public let rawPublicKey: [UInt8]
    /// The 32-byte private scalar; nil for public-only keys (which can only be sealed to).
    private let rawSeed: [UInt8]?

    /// `"xkv1"`, the version tag that starts every sealed message.
    public static let version: [UInt8] = Array("xkv1".utf8)
    /// Nonce length of `crypto_box` (XSalsa20).
    public static let nonceLength = Int(crypto_box_NONCEBYTES)
    private static let tagLength = Int(crypto_box_MACBYTES)

    /// A fresh curve key from the system CSPRNG.
    public static func generate() throws(NKeyError) -> XKeyPair {
        try XKeyPair(rawSeed: Sodium.randomBytes(NKeys.rawKeyLength))
    }

    /// A curve key from its 32 raw seed bytes.
    public init(rawSeed: [UInt8]) throws(NKeyError) {
        guard rawSeed.count == NKeys.rawKeyLength else {
            throw .invalidLength(kind: "raw seed", expected: NKeys.rawKeyLength, actual: rawSeed.count)
        }
        try Sodium.ensureReady()
        var publicKey = [UInt8](repeating: 0, count: Int(crypto_scalarmult_BYTES))
        guard crypto_scalarmult_base(&publicKey, rawSeed) == 0 else { throw .cryptoUnavailable }
        self.rawSeed = rawSeed
        self.rawPublicKey = publicKey
        self.publicKey = try NKeys.encodePublicKey(publicKey, type: .curve)
    }

    /// A curve key from an encoded `SX…` seed; any other seed type is rejected with a clear error.
    public init(seed: String, role: String? = nil) throws(NKeyError) {
        try self.init(rawSeed: NKeys.decodeSeed(seed, expecting: .curve, role: role ?? "xkey seed"))
    }

    /// A public-only curve key (a recipient or the expected sender) from an encoded `X…` key.
    public init(publicKey: String, role: String? = nil) throws(NKeyError) {
        rawPublicKey = try NKeys.decodePublicKey(publicKey, expecting: .curve, role: role ?? "xkey")
        self.publicKey = publicKey.trimmingWhitespace()
        rawSeed = nil
        try Sodium.ensureReady()
    }

    /// The encoded `SX…` seed, or nil for a public-only key.
    public var seed: String? {
        guard let rawSeed else { return nil }
        return try? NKeys.encodeSeed(rawSeed, type: .curve)
    }

    /// Seals `plaintext` for `recipient` with a random nonce: `"xkv1" ‖ nonce(24) ‖ crypto_box_easy(...)`.
    public func seal<Bytes: Sequence>(_ plaintext: Bytes, to recipient: XKeyPair) throws(NKeyError) -> [UInt8]
    where Bytes.Element == UInt8 {
        try seal(plaintext, to: recipient, nonce: Sodium.randomBytes(XKeyPair.nonceLength))
    }

    /// Seals with a caller-chosen nonce. Only for reproducible tests (`package`: no part of the public API):
    /// never reuse a nonce with the same keys.
    package func seal<Bytes: Sequence>(_ plaintext: Bytes, to recipient: XKeyPair, nonce: [UInt8]) throws(NKeyError) -> [UInt8]
    where Bytes.Element == UInt8 {
        guard let rawSeed else { throw .publicKeyOnly }
        guard nonce.count == XKeyPair.nonceLength else {
            throw .invalidLength(kind: "nonce", expected: XKeyPair.nonceLength, actual: nonce.count)
        }
        let message = Array(plaintext)
        let shared = try Self.sharedKey(seed: rawSeed, own: rawPublicKey, peer: recipient.rawPublicKey)
        var boxed = [UInt8](repeating: 0, count: message.count + XKeyPair.tagLength)
        let result = crypto_box_easy_afternm(&boxed, message, UInt64(message.count), nonce, shared)
        guard result == 0 else { throw .cryptoUnavailable }
        return XKeyPair.version + nonce + boxed
    }

    /// Opens an `xkv1` message that `sender` sealed for this key.
    public func open(_ sealed: [UInt8], from sender: XKeyPair) throws(NKeyError) -> [UInt8] {
        guard let rawSeed else { throw .publicKeyOnly }
        let headerLength = XKeyPair.version.count + XKeyPair.nonceLength
        guard sealed.count > XKeyPair.version.count + 24, sealed.count >= headerLength + XKeyPair.tagLength else {
            throw .sealedMessageTooShort(sealed.count)
        }
        guard Array(sealed.prefix(XKeyPair.version.count)) == XKeyPair.version else { throw .invalidEncryptionVersion }
        let nonce = Array(sealed[XKeyPair.version.count..<headerLength])
        let boxed = Array(sealed[headerLength...])
        let shared = try Self.sharedKey(seed: rawSeed, own: rawPublicKey, peer: sender.rawPublicKey)
        var plaintext = [UInt8](repeating: 0, count: boxed.count - XKeyPair.tagLength)
        let result = crypto_box_open_easy_afternm(&plaintext, boxed, UInt64(boxed.count), nonce, shared)
        guard result == 0 else { throw .decryptionFailed }
        return plaintext
    }

    /// Opens a message sealed by the holder of the `X…` public key `senderPublicKey`.
    public func open(_ sealed: [UInt8], from senderPublicKey: String) throws(NKeyError) -> [UInt8] {
        try open(sealed, from: XKeyPair(publicKey: senderPublicKey, role: "sender xkey"))
    }

    /// The `crypto_box` key shared by this key and `peer` (`crypto_box_beforenm`: one X25519 multiplication, the
    /// cost of a seal or an open), kept per key pair: a node seals every deploy's run request and workload seed
    /// to the same few agents. At most ``sharedKeyLimit`` pairs are kept (then the cache starts over).
    private static func sharedKey(seed: [UInt8], own: [UInt8], peer: [UInt8]) throws(NKeyError) -> [UInt8] {
        let pair = own + peer
        if let cached = sharedKeys.withLock({ $0[pair] }) { return cached }
        var shared = [UInt8](repeating: 0, count: Int(crypto_box_BEFORENMBYTES))
        guard crypto_box_beforenm(&shared, peer, seed) == 0 else { throw .decryptionFailed }
        sharedKeys.withLock { cache in
            if cache.count >= sharedKeyLimit { cache.removeAll(keepingCapacity: true) }
            cache[pair] = shared
        }
        return shared
    }

    private static let sharedKeyLimit = 1_024
    private static let sharedKeys = Mutex<[[UInt8]: [UInt8]]>([:])

    /// Shows the public key, never the seed.
    public var description: String { "XKeyPair(\(publicKey)\(rawSeed == nil ? ", public only" : ""))" }

    public static func == (lhs: XKeyPair, rhs: XKeyPair) -> Bool {
        lhs.rawPublicKey == rhs.rawPublicKey && (lhs.rawSeed == nil) == (rhs.rawSeed == nil)
    }
}
