import CSodium
import Foundation

/// A string sealed (`xkv1`) from one curve key to another, in a marked text form that can stand in for the
/// plain string inside JSON: `nex-sealed:v1:<sender X… public key>:<standard base64 of the xkv1 box>`.
/// The sender's public key travels along, so the recipient needs only its own seed to open it.
public enum SealedText {
    /// What every sealed string starts with.
    public static let prefix = "nex-sealed:v1:"

    /// Whether `text` is in the sealed form (it may still fail to open).
    public static func isSealed(_ text: String) -> Bool { text.hasPrefix(prefix) }

    /// Seals `plaintext` from `sender` (which must hold its seed) to `recipient`.
    public static func seal(_ plaintext: String, from sender: XKeyPair, to recipient: XKeyPair) throws(NKeyError) -> String {
        let box = try sender.seal(Array(plaintext.utf8), to: recipient)
        return prefix + sender.publicKey + ":" + Base64.standardEncode(box)
    }

    /// The public key of whoever sealed `text`, or nil when `text` is not in the sealed form.
    public static func sender(of text: String) -> String? {
        guard isSealed(text) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        return String(rest[..<colon])
    }

    /// Opens a sealed string with the recipient's key. With `expectedSender`, a string sealed by any other key
    /// is refused (`SealedTextError.unexpectedSender`) before it is opened.
    public static func open(_ text: String, with recipient: XKeyPair, expectedSender: String? = nil) throws(SealedTextError) -> String {
        guard isSealed(text) else { throw .notSealed }
        let rest = text.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { throw .malformed("no sender key") }
        let sender = String(rest[..<colon])
        if let expectedSender, sender != expectedSender { throw .unexpectedSender(sender) }
        guard let box = Base64.standardDecode(String(rest[rest.index(after: colon)...])) else { throw .malformed("the box is not base64") }
        let plaintext: [UInt8]
        do {
            plaintext = try recipient.open(box, from: sender)
        } catch {
            throw .key(error)
        }
        guard let string = String(bytes: plaintext, encoding: .utf8) else { throw .malformed("the plaintext is not UTF-8") }
        return string
    }
}

/// Why a sealed string could not be opened.
public enum SealedTextError: Error, Equatable, Sendable, CustomStringConvertible {
    case notSealed
    case malformed(String)
    /// Sealed by another key than expected (its public key).
    case unexpectedSender(String)
    /// The sender key is invalid or the box does not open with this key (wrong recipient, tampered data).
    case key(NKeyError)

    public var description: String {
        switch self {
        case .notSealed: "not a sealed string (\(SealedText.prefix)…)"
        case .malformed(let reason): "malformed sealed string: \(reason)"
        case .unexpectedSender(let sender): "sealed by an unexpected key \(sender)"
        case .key(let error): "cannot open the sealed string: \(error)"
        }
    }
}

extension XKeyPair {
    /// A curve key derived one-way from an nkey's seed and a purpose (keyed BLAKE2b-256 of the purpose, keyed
    /// with the 32 raw seed bytes): whoever holds the seed gets the same key again, without storing it; the
    /// derived key reveals nothing about the seed, and different purposes give unrelated keys.
    public init(derivedFrom keys: KeyPair, purpose: String) throws(NKeyError) {
        guard let seed = keys.rawSeed else { throw .publicKeyOnly }
        try Sodium.ensureReady()
        var derived = [UInt8](repeating: 0, count: NKeys.rawKeyLength)
        let message = Array(purpose.utf8)
        guard crypto_generichash(&derived, derived.count, message, UInt64(message.count), seed, seed.count) == 0 else {
            throw .cryptoUnavailable
        }
        try self.init(rawSeed: derived)
    }
}
