import CSodium

/// SHA-512/256 (FIPS 180-4 §5.3.6.2): SHA-512 with its own initial hash values, truncated to 256 bits.
/// The NATS JWT `jti` is the base32 of this digest of the claims JSON.
///
/// libsodium has no SHA-512/256, but its SHA-512 is the same compression and padding: this starts
/// libsodium's SHA-512 state (a public struct: 8 state words, a bit count, a block buffer) from the
/// SHA-512/256 initial values instead and keeps the first 32 bytes of the result.
public enum SHA512_256 {
    /// The 32-byte digest of `message`.
    public static func hash<Bytes: Sequence>(_ message: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var state = crypto_hash_sha512_state()
        _ = crypto_hash_sha512_init(&state)
        state.state = (
            0x2231_2194_FC2B_F72C, 0x9F55_5FA3_C84C_64C2, 0x2393_B86B_6F53_B151, 0x9638_7719_5940_EABD,
            0x9628_3EE2_A88E_FFE3, 0xBE5E_1E25_5386_3992, 0x2B01_99FC_2C85_B8AA, 0x0EB7_2DDC_81C5_2CA2
        )
        let bytes = Array(message)
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress, !buffer.isEmpty {
                _ = crypto_hash_sha512_update(&state, base, UInt64(buffer.count))
            }
        }
        var digest = [UInt8](repeating: 0, count: Int(crypto_hash_sha512_BYTES))
        _ = crypto_hash_sha512_final(&state, &digest)
        return Array(digest.prefix(32))
    }
}
