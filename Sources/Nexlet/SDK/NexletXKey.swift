import Minter
import NexProtocol

/// A nexlet's curve key: its public half goes into the registration (`public_xkey`, returned to bidders),
/// its seed opens environments clients sealed to it (`EncEnv`, `xkv1`).
public struct NexletXKey: Sendable, Equatable {
    private let pair: XKeyPair

    /// The public key (`X…`).
    public var publicKey: String { pair.publicKey }
    /// The seed (`SX…`), to keep the same key across restarts.
    public var seed: String? { pair.seed }

    /// A fresh key.
    public static func generate() throws -> NexletXKey {
        NexletXKey(pair: try XKeyPair.generate())
    }

    /// A key from its `SX…` seed.
    public init(seed: String) throws {
        pair = try XKeyPair(seed: seed)
    }

    private init(pair: XKeyPair) {
        self.pair = pair
    }

    /// Opens a string sealed to this key (``SealedText``); any other string is returned as it is.
    public func openIfSealed(_ text: String) throws -> String {
        guard SealedText.isSealed(text) else { return text }
        return try SealedText.open(text, with: pair)
    }

    /// Opens an encrypted environment sealed to this key.
    public func openEnvironment(_ sealed: EncEnv) throws -> [String: String] {
        try sealed.open(with: pair)
    }
}
