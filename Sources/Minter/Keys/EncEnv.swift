import Foundation

/// An encrypted environment (schema `shared-enc-env.json`): a JSON `{string: string}` map sealed in the
/// `xkv1` format to a nexlet's public xkey, then standard-base64 encoded.
///
/// The one `EncEnv` type. It lives here, not in NexProtocol, because what it is about is sealing and opening
/// with xkeys; no NexProtocol wire type embeds it (a nexlet's start request is opaque to the protocol, and the
/// native nexlet reads `encrypted_environment` itself), so NexProtocol needs no copy and no Minter dependency.
public struct EncEnv: Codable, Sendable, Equatable {
    /// The sender's public curve key (`X…`), needed to open the box.
    public var encryptedBy: String
    /// Standard base64 (with padding) of the `xkv1` blob.
    public var base64EncryptedEnv: String

    enum CodingKeys: String, CodingKey {
        case encryptedBy = "encrypted_by"
        case base64EncryptedEnv = "base64_encrypted_env"
    }

    public init(encryptedBy: String, base64EncryptedEnv: String) {
        self.encryptedBy = encryptedBy
        self.base64EncryptedEnv = base64EncryptedEnv
    }

    /// Seals `environment` (JSON with sorted keys, as Go writes a map) to `recipientPublicXKey`.
    /// Without a `sender` a one-off curve key is generated; its public key goes into `encrypted_by`.
    public static func seal(
        _ environment: [String: String], to recipientPublicXKey: String, sender: XKeyPair? = nil
    ) throws(NKeyError) -> EncEnv {
        let recipient = try XKeyPair(publicKey: recipientPublicXKey, role: "recipient xkey")
        let from: XKeyPair
        if let sender { from = sender } else { from = try XKeyPair.generate() }
        let sealed = try from.seal(Array(GoJSONObject.stringMap(environment).utf8), to: recipient)
        return EncEnv(encryptedBy: from.publicKey, base64EncryptedEnv: Base64.standardEncode(sealed))
    }

    /// Opens the environment with the recipient's curve key. An empty plaintext is an empty map.
    public func open(with recipient: XKeyPair) throws(EncEnvError) -> [String: String] {
        guard let sealed = Base64.standardDecode(base64EncryptedEnv) else { throw .invalidBase64 }
        let plaintext: [UInt8]
        do {
            plaintext = try recipient.open(sealed, from: encryptedBy)
        } catch {
            throw .key(error)
        }
        if plaintext.isEmpty { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(plaintext))
        } catch {
            throw .notAStringMap
        }
    }
}

/// Why an `EncEnv` could not be opened.
public enum EncEnvError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `base64_encrypted_env` is not standard base64.
    case invalidBase64
    /// The sender key is invalid or the box did not open.
    case key(NKeyError)
    /// The plaintext is not a JSON object of strings.
    case notAStringMap

    public var description: String {
        switch self {
        case .invalidBase64: "base64_encrypted_env is not valid base64"
        case .key(let error): "cannot open encrypted environment: \(error)"
        case .notAStringMap: "decrypted environment is not a JSON object of strings"
        }
    }
}
