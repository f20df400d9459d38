import CSodium

/// One-time libsodium initialisation. `sodium_init()` runs once, lazily and thread-safely (Swift initialises
/// static stored properties exactly once); every key operation goes through `ensureReady()` first.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ensureReady() throws(NKeyError) {
        guard initialised else { throw .cryptoUnavailable }
    }

    /// `count` bytes from libsodium's CSPRNG (the system random source).
    static func randomBytes(_ count: Int) throws(NKeyError) -> [UInt8] {
        try ensureReady()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { randombytes_buf(base, buffer.count) }
        }
        return bytes
    }
}
