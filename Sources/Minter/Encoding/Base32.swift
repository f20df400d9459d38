/// RFC 4648 base32 (standard alphabet `A–Z2–7`) without padding, as used by NKeys and JWT ids.
enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Reverse lookup: ASCII byte → 5-bit value, or 0xFF for bytes outside the alphabet.
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Encodes bytes without `=` padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                output.append(alphabet[Int((buffer >> UInt32(bits)) & 0x1F)])
            }
        }
        if bits > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 0x1F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Why a base32 text could not be decoded.
    enum DecodingError: Error, Equatable {
        /// A character outside `A–Z2–7` (lower case and `=` included) at the given offset.
        case illegalCharacter(Character, offset: Int)
        /// A length that no byte sequence encodes to (1, 3 or 6 characters modulo 8).
        case impossibleLength(Int)
    }

    /// Decodes unpadded base32. Trailing bits of the last character are ignored, as Go's decoder does.
    static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            let value = scalar.isASCII ? decodeTable[Int(scalar.value)] : 0xFF
            guard value != 0xFF else { throw .illegalCharacter(Character(scalar), offset: offset) }
            values.append(value)
        }
        switch values.count % 8 {
        case 1, 3, 6: throw .impossibleLength(values.count)
        default: break
        }
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 5 / 8)
        var buffer: UInt32 = 0
        var bits = 0
        for value in values {
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }
}
