/// Go's `encoding/json` string escaping, shared by NexProtocol's encoder (every wire message) and Minter's
/// JWT claims writer (whose bytes are hashed into the `jti` and signed), so both write strings exactly as Go
/// does. A module of its own because Minter stays free of NATS and of NexProtocol.
public enum GoJSONString {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string the way Go's encoder does with HTML escaping on: `"` and `\`
    /// escaped, `\b \f \n \r \t` short forms, other control characters and `<`, `>`, `&` as `\u00XX`,
    /// U+2028/U+2029 as `\u2028`/`\u2029`, everything else (including `/` and DEL) verbatim.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0  // start of the pending run of bytes that need no escaping
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                // The second byte of a two-byte escape (`\"`, `\n`…), 0 for `\u00XX`, or no escape at all.
                let short: UInt8?
                var width = 1
                switch byte {
                case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
                case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
                case 0x08: short = UInt8(ascii: "b")
                case 0x0C: short = UInt8(ascii: "f")
                case 0x0A: short = UInt8(ascii: "n")
                case 0x0D: short = UInt8(ascii: "r")
                case 0x09: short = UInt8(ascii: "t")
                case 0x00..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"): short = 0
                case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80
                    && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                    // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (E2 80 A8 / E2 80 A9).
                    short = 0
                    width = 3
                default:
                    short = nil
                }
                if let short {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    bytes.append(UInt8(ascii: "\\"))
                    if short != 0 {
                        bytes.append(short)
                    } else if width == 3 {
                        bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2"),
                                                  utf8[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9")])
                    } else {
                        bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                                  hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                    }
                    runStart = index + width
                }
                index += width
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal with Go's escaping.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
