import Foundation

/// Base64 helpers: URL-safe without padding (JWT segments) and standard with padding (EncEnv).
enum Base64 {
    /// base64url without `=` padding (RFC 4648 §5), as Go's `base64.RawURLEncoding`.
    static func urlEncode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Decodes base64url without padding. Returns nil for padded input or characters outside the URL alphabet,
    /// as Go's `RawURLEncoding` rejects them.
    static func urlDecode(_ text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy(isURLCharacter) else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        switch standard.utf8.count % 4 {
        case 0: break
        case 2: standard += "=="
        case 3: standard += "="
        default: return nil
        }
        return Data(base64Encoded: standard).map { Array($0) }
    }

    /// Standard base64 with padding, as Go's `base64.StdEncoding`.
    static func standardEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes standard padded base64; nil when malformed.
    static func standardDecode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { Array($0) }
    }

    private static func isURLCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
