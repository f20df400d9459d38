/// Formats floating-point numbers like Go's `encoding/json`: the shortest digits that round-trip, in
/// plain decimal notation, switching to exponent notation (`1e+21`, `1e-7`) only below 1e-6 or from 1e21 on.
enum GoJSONNumber {
    static func format(_ value: Double) throws -> String {
        try format(value, description: value.description, isFinite: value.isFinite, magnitude: value.magnitude)
    }

    static func format(_ value: Float) throws -> String {
        try format(Double(value), description: value.description, isFinite: value.isFinite,
                   magnitude: Double(value.magnitude))
    }

    private static func format(_ value: Double, description: String, isFinite: Bool, magnitude: Double) throws -> String {
        guard isFinite else {
            throw GoJSONError.unsupportedValue("\(value) cannot be represented in JSON")
        }
        let negative = value.sign == .minus
        if magnitude == 0 {
            return negative ? "-0" : "0"
        }
        // Swift's description already holds the shortest round-trip digits; take digits and exponent from it.
        let (digits, pointPosition) = decompose(description)
        let body: String
        if magnitude < 1e-6 || magnitude >= 1e21 {
            body = exponentForm(digits: digits, pointPosition: pointPosition)
        } else {
            body = fixedForm(digits: digits, pointPosition: pointPosition)
        }
        return negative ? "-" + body : body
    }

    /// Splits a Swift float description (`123.45`, `1.5e+21`, `1e-07`) into significant digits (no leading
    /// or trailing zeros) and the position of the decimal point relative to the first digit
    /// (value = 0.d1d2... × 10^pointPosition).
    private static func decompose(_ description: String) -> (digits: [UInt8], pointPosition: Int) {
        var mantissa = Substring(description)
        var exponent = 0
        if mantissa.first == "-" { mantissa = mantissa.dropFirst() }
        if let eIndex = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(mantissa[mantissa.index(after: eIndex)...]) ?? 0
            mantissa = mantissa[..<eIndex]
        }
        var digits: [UInt8] = []
        var integerDigits = 0
        var seenPoint = false
        for character in mantissa.utf8 {
            if character == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { integerDigits += 1 }
            }
        }
        var pointPosition = integerDigits + exponent
        while let first = digits.first, first == UInt8(ascii: "0") {
            digits.removeFirst()
            pointPosition -= 1
        }
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
        }
        return (digits, pointPosition)
    }

    private static func fixedForm(digits: [UInt8], pointPosition: Int) -> String {
        let text = String(decoding: digits, as: UTF8.self)
        if pointPosition <= 0 {
            return "0." + String(repeating: "0", count: -pointPosition) + text
        }
        if pointPosition >= digits.count {
            return text + String(repeating: "0", count: pointPosition - digits.count)
        }
        let split = text.index(text.startIndex, offsetBy: pointPosition)
        return text[..<split] + "." + text[split...]
    }

    private static func exponentForm(digits: [UInt8], pointPosition: Int) -> String {
        let text = String(decoding: digits, as: UTF8.self)
        var result = String(text.prefix(1))
        if digits.count > 1 {
            result += "." + text.dropFirst()
        }
        let exponent = pointPosition - 1
        // strconv writes at least two exponent digits; encoding/json then shortens `e-07` to `e-7`.
        if exponent < 0 {
            result += "e-" + String(-exponent)
        } else {
            result += "e+" + (exponent < 10 ? "0" : "") + String(exponent)
        }
        return result
    }
}
