/// Why an NKey or XKey could not be decoded or used.
public enum NKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is not unpadded RFC 4648 base32.
    case invalidBase32(String)
    /// The decoded key has the wrong number of bytes.
    case invalidLength(kind: String, expected: Int, actual: Int)
    /// The CRC-16 in the last two bytes does not match.
    case checksumMismatch(expected: UInt16, actual: UInt16)
    /// The first byte is not a known public key prefix.
    case invalidPublicKeyPrefix(UInt8)
    /// The first byte is not the seed prefix `S` or the type bits name no key type.
    case invalidSeedPrefix
    /// The key decodes but is of another type than required. `role` names what it was meant to be.
    case wrongType(role: String?, expected: NKeyType, actual: NKeyType, isSeed: Bool)
    /// A public-only key pair was asked to sign or to reveal its seed.
    case publicKeyOnly
    /// A curve (`X…`) key was given where an ed25519 key is required, or the other way round.
    case incompatibleKey(String)
    /// The signature is not 64 bytes.
    case invalidSignatureLength(Int)
    /// A sealed `xkv1` message is shorter than version + nonce + tag.
    case sealedMessageTooShort(Int)
    /// A sealed message does not start with `xkv1`.
    case invalidEncryptionVersion
    /// Authenticated decryption failed (wrong keys or tampered data).
    case decryptionFailed
    /// libsodium could not be initialised or a libsodium call failed.
    case cryptoUnavailable

    public var description: String {
        switch self {
        case .invalidBase32(let detail):
            "invalid nkey encoding: \(detail)"
        case .invalidLength(let kind, let expected, let actual):
            "invalid \(kind) length: expected \(expected) bytes, got \(actual)"
        case .checksumMismatch(let expected, let actual):
            "invalid nkey checksum: expected 0x\(String(expected, radix: 16)), got 0x\(String(actual, radix: 16))"
        case .invalidPublicKeyPrefix(let byte):
            "invalid public key prefix byte \(byte)"
        case .invalidSeedPrefix:
            "invalid seed prefix: not an encoded nkey seed"
        case .wrongType(let role, let expected, let actual, let isSeed):
            isSeed
                ? "\(role ?? "seed") must be \(expected.withArticle) seed (\(expected.seedPrefix)…), got \(actual.withArticle) seed"
                : "\(role ?? "public key") must be \(expected.withArticle) public key (\(expected.letter)…), got \(actual.withArticle) public key"
        case .publicKeyOnly:
            "the key pair holds only a public key; it cannot sign or reveal a seed"
        case .incompatibleKey(let detail):
            "incompatible key: \(detail)"
        case .invalidSignatureLength(let length):
            "invalid ed25519 signature length \(length), expected 64"
        case .sealedMessageTooShort(let length):
            "sealed message too short (\(length) bytes)"
        case .invalidEncryptionVersion:
            "invalid encryption version (expected xkv1)"
        case .decryptionFailed:
            "could not decrypt message (wrong key or tampered data)"
        case .cryptoUnavailable:
            "libsodium is not available"
        }
    }
}
