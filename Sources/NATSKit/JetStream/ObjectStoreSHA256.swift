import CSodium

/// Incremental SHA-256, the digest object stores keep per object (`SHA-256=<base64url>`): libsodium's
/// `crypto_hash_sha256` (libnats exposes none, Foundation on Linux has none). A value: copying a hasher
/// copies its state.
public struct SHA256: Sendable {
    private var state = crypto_hash_sha256_state()

    public init() {
        // libsodium's SHA-256 needs no `sodium_init` (it has no run-time chosen implementation).
        _ = crypto_hash_sha256_init(&state)
    }

    /// The digest of `bytes` in one go.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(Array(bytes))
        return hasher.finalize()
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.bindMemory(to: UInt8.self).baseAddress, !bytes.isEmpty else { return }
        _ = crypto_hash_sha256_update(&state, base, UInt64(bytes.count))
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest of everything added so far (the hasher itself is left as it was).
    public func finalize() -> [UInt8] {
        var copy = state
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_BYTES))
        _ = crypto_hash_sha256_final(&copy, &digest)
        return digest
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal.
    var hexString: String {
        map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
