import Foundation

/// Why a duration string was refused; the texts match Go's `time.ParseDuration` errors.
public enum GoDurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not of the form `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or out of the Int64 nanosecond range.
    case invalid(String)
    /// A number without a unit, e.g. `"10"`.
    case missingUnit(String)
    /// A unit other than `ns us µs μs ms s m h`.
    case unknownUnit(unit: String, in: String)

    public var description: String {
        switch self {
        case .invalid(let text): return "time: invalid duration \(Self.quote(text))"
        case .missingUnit(let text): return "time: missing unit in duration \(Self.quote(text))"
        case .unknownUnit(let unit, let text):
            return "time: unknown unit \(Self.quote(unit)) in duration \(Self.quote(text))"
        }
    }

    private static func quote(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Go's `time.ParseDuration`: an optional sign, then one or more `<number><unit>` groups where the number
/// may have a fraction (`1.5h`, `.5s`, `1.s`); the bare string `0` is also accepted.
enum GoDurationParser {
    private static let units: [String: UInt64] = [
        "ns": 1,
        "us": 1_000,
        "\u{00B5}s": 1_000,  // µ MICRO SIGN
        "\u{03BC}s": 1_000,  // μ GREEK SMALL LETTER MU
        "ms": 1_000_000,
        "s": 1_000_000_000,
        "m": 60_000_000_000,
        "h": 3_600_000_000_000,
    ]

    private static let limit: UInt64 = 1 << 63

    static func parse(_ original: String) throws(GoDurationError) -> Int64 {
        var rest = Substring(original).utf8[...]
        var negative = false
        if let first = rest.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("0".utf8) { return 0 }
        guard !rest.isEmpty else { throw .invalid(original) }

        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let first = rest.first, first == UInt8(ascii: ".") || isDigit(first) else {
                throw .invalid(original)
            }
            // Integer part.
            let beforeInteger = rest.count
            guard let whole = leadingInt(&rest) else { throw .invalid(original) }
            let hasInteger = rest.count != beforeInteger
            // Fraction part.
            var fraction: UInt64 = 0
            var scale: Double = 1
            var hasFraction = false
            if rest.first == UInt8(ascii: ".") {
                rest = rest.dropFirst()
                let beforeFraction = rest.count
                (fraction, scale) = leadingFraction(&rest)
                hasFraction = rest.count != beforeFraction
            }
            guard hasInteger || hasFraction else { throw .invalid(original) }
            // Unit: everything up to the next digit or point.
            let unitEnd = rest.firstIndex { $0 == UInt8(ascii: ".") || isDigit($0) } ?? rest.endIndex
            let unitBytes = rest[rest.startIndex..<unitEnd]
            guard !unitBytes.isEmpty else { throw .missingUnit(original) }
            let unitName = String(decoding: unitBytes, as: UTF8.self)
            rest = rest[unitEnd...]
            guard let unit = units[unitName] else { throw .unknownUnit(unit: unitName, in: original) }

            guard whole <= limit / unit else { throw .invalid(original) }
            var value = whole * unit
            if fraction > 0 {
                // Go computes the fractional part in float64 (exact to the nanosecond even for hours).
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                guard value <= limit else { throw .invalid(original) }
            }
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow, sum <= limit else { throw .invalid(original) }
            total = sum
        }
        if negative {
            return total == limit ? .min : -Int64(total)
        }
        guard total <= UInt64(Int64.max) else { throw .invalid(original) }
        return Int64(total)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Consumes leading digits; nil on overflow past 2^63.
    private static func leadingInt(_ rest: inout Substring.UTF8View.SubSequence) -> UInt64? {
        var value: UInt64 = 0
        while let byte = rest.first, isDigit(byte) {
            guard value <= limit / 10 else { return nil }
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            guard value <= limit else { return nil }
            rest = rest.dropFirst()
        }
        return value
    }

    /// Consumes fraction digits, keeping as many as fit (the rest are ignored, not an error).
    private static func leadingFraction(_ rest: inout Substring.UTF8View.SubSequence) -> (UInt64, Double) {
        var value: UInt64 = 0
        var scale: Double = 1
        var overflow = false
        while let byte = rest.first, isDigit(byte) {
            rest = rest.dropFirst()
            if overflow { continue }
            guard value <= UInt64(Int64.max) / 10 else {
                overflow = true
                continue
            }
            let next = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            guard next <= limit else {
                overflow = true
                continue
            }
            value = next
            scale *= 10
        }
        return (value, scale)
    }
}
