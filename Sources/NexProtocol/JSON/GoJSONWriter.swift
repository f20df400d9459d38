/// Writes a ``GoJSONNode`` tree as compact JSON with Go's escaping rules.
struct GoJSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ node: GoJSONNode) {
        switch node.content {
        case .unset:
            bytes.append(contentsOf: "null".utf8)
        case .raw(let text):
            bytes.append(contentsOf: text.utf8)
        case .string(let text):
            Self.appendQuoted(text, to: &bytes)
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in box.items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            bytes.append(UInt8(ascii: "{"))
            var order = Array(box.keys.indices)
            if box.sortKeys {
                // Go sorts map keys by comparing their bytes.
                order.sort { box.keys[$0].utf8.lexicographicallyPrecedes(box.keys[$1].utf8) }
            }
            for (position, index) in order.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                Self.appendQuoted(box.keys[index], to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(box.values[index])
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string the way Go's encoder does with HTML escaping on: `"` and `\`
    /// escaped, `\b \f \n \r \t` short forms, other control characters and `<`, `>`, `&` as `\u00XX`,
    /// U+2028/U+2029 as `\u2028`/`\u2029`, everything else (including `/` and DEL) verbatim.
    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
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
}
