/// Text encoding of NKeys (nats-io/nkeys): base32 of `prefix ‖ key ‖ crc16le` for public keys and of
/// `seedPrefix(2) ‖ seed ‖ crc16le` for seeds.
public enum NKeys {
    /// Raw ed25519 / curve25519 key and seed size.
    public static let rawKeyLength = 32
    /// Decoded public key: prefix + key + crc.
    static let publicKeyLength = 1 + rawKeyLength + 2
    /// Decoded seed: two prefix bytes + seed + crc.
    static let seedLength = 2 + rawKeyLength + 2

    /// A decoded key: its type and its 32 raw bytes.
    public struct Decoded: Sendable, Equatable {
        public let type: NKeyType
        public let raw: [UInt8]
    }

    /// Encodes a 32-byte raw public key as a 56-character public key string (`U…`, `A…`, …).
    public static func encodePublicKey(_ raw: [UInt8], type: NKeyType) throws(NKeyError) -> String {
        guard raw.count == rawKeyLength else {
            throw .invalidLength(kind: "raw public key", expected: rawKeyLength, actual: raw.count)
        }
        return withChecksum([type.prefixByte] + raw)
    }

    /// Encodes a 32-byte raw seed as a 58-character seed string (`SU…`, `SA…`, …).
    public static func encodeSeed(_ raw: [UInt8], type: NKeyType) throws(NKeyError) -> String {
        guard raw.count == rawKeyLength else {
            throw .invalidLength(kind: "raw seed", expected: rawKeyLength, actual: raw.count)
        }
        let first = NKeyPrefix.seed | (type.prefixByte >> 5)
        let second = (type.prefixByte & 31) << 3
        return withChecksum([first, second] + raw)
    }

    /// Decodes a public key string of any type.
    public static func decodePublicKey(_ text: String) throws(NKeyError) -> Decoded {
        let bytes = try base32(text)
        guard bytes.count == publicKeyLength else {
            if bytes.count == seedLength, (try? decodeSeed(text)) != nil {
                throw .incompatibleKey("expected a public key, got a seed")
            }
            throw .invalidLength(kind: "public key", expected: publicKeyLength, actual: bytes.count)
        }
        try verifyChecksum(bytes)
        guard let type = NKeyType(prefixByte: bytes[0]) else { throw .invalidPublicKeyPrefix(bytes[0]) }
        return Decoded(type: type, raw: Array(bytes[1..<(1 + rawKeyLength)]))
    }

    /// Decodes a public key string that must be of `type`. `role` (e.g. "node id") prefixes the error message.
    public static func decodePublicKey(_ text: String, expecting type: NKeyType, role: String? = nil) throws(NKeyError) -> [UInt8] {
        let decoded = try decodePublicKey(text)
        guard decoded.type == type else {
            throw .wrongType(role: role, expected: type, actual: decoded.type, isSeed: false)
        }
        return decoded.raw
    }

    /// Decodes a seed string of any type.
    public static func decodeSeed(_ text: String) throws(NKeyError) -> Decoded {
        let bytes = try base32(text)
        guard bytes.count == seedLength else {
            if bytes.count == publicKeyLength, (try? decodePublicKey(text)) != nil {
                throw .incompatibleKey("expected a seed, got a public key")
            }
            throw .invalidLength(kind: "seed", expected: seedLength, actual: bytes.count)
        }
        try verifyChecksum(bytes)
        guard bytes[0] & 248 == NKeyPrefix.seed else { throw .invalidSeedPrefix }
        let typeByte = ((bytes[0] & 7) << 5) | ((bytes[1] & 248) >> 3)
        guard let type = NKeyType(prefixByte: typeByte) else { throw .invalidSeedPrefix }
        return Decoded(type: type, raw: Array(bytes[2..<(2 + rawKeyLength)]))
    }

    /// Decodes a seed string that must be of `type`. `role` (e.g. "node seed") prefixes the error message:
    /// "node seed must be a server seed (SN…), got a user seed".
    public static func decodeSeed(_ text: String, expecting type: NKeyType, role: String? = nil) throws(NKeyError) -> [UInt8] {
        let decoded = try decodeSeed(text)
        guard decoded.type == type else {
            throw .wrongType(role: role, expected: type, actual: decoded.type, isSeed: true)
        }
        return decoded.raw
    }

    /// True when `text` is a well-formed public key, optionally of the given type (e.g. a node id must be
    /// a valid server key).
    public static func isValidPublicKey(_ text: String, type: NKeyType? = nil) -> Bool {
        guard let decoded = try? decodePublicKey(text) else { return false }
        return type.map { $0 == decoded.type } ?? true
    }

    // MARK: - Helpers

    private static func withChecksum(_ bytes: [UInt8]) -> String {
        let crc = CRC16.checksum(bytes)
        return Base32.encode(bytes + [UInt8(crc & 0xFF), UInt8(crc >> 8)])
    }

    private static func base32(_ text: String) throws(NKeyError) -> [UInt8] {
        let trimmed = text.trimmingWhitespace()
        do {
            return try Base32.decode(trimmed)
        } catch {
            switch error {
            case .illegalCharacter(let character, let offset):
                throw .invalidBase32("illegal character \(String(reflecting: String(character))) at offset \(offset)")
            case .impossibleLength(let length):
                throw .invalidBase32("\(length) characters is not a valid base32 length (truncated?)")
            }
        }
    }

    private static func verifyChecksum(_ bytes: [UInt8]) throws(NKeyError) {
        let body = bytes.dropLast(2)
        let stored = UInt16(bytes[bytes.count - 2]) | (UInt16(bytes[bytes.count - 1]) << 8)
        let computed = CRC16.checksum(body)
        guard stored == computed else { throw .checksumMismatch(expected: computed, actual: stored) }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (keys pasted from files).
    func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[start...end])
    }
}
