/// Exact arithmetic on JSON numbers for the numeric keywords. Integers compare exactly with doubles,
/// and `multipleOf` works on the shortest decimal form of each double (what the JSON text said),
/// so `0.3` is a multiple of `0.1` as it is for the Go reference's validator.
enum ExactNumber {
    /// Orders two numeric values exactly; nil when either is not a number.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)):
            return left == right ? 0 : (left < right ? -1 : 1)
        case (.number(let left), .number(let right)):
            return left == right ? 0 : (left < right ? -1 : 1)
        case (.integer(let left), .number(let right)):
            return compare(left, right)
        case (.number(let left), .integer(let right)):
            return -compare(right, left)
        default:
            return nil
        }
    }

    /// Exact comparison of an integer with a finite double.
    private static func compare(_ integer: Int64, _ double: Double) -> Int {
        if double >= 9_223_372_036_854_775_808.0 { return -1 }
        if double < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = double.rounded(.towardZero)
        let truncated = Int64(whole)
        if integer != truncated { return integer < truncated ? -1 : 1 }
        if double > whole { return -1 }
        if double < whole { return 1 }
        return 0
    }

    /// True when `value` is an integer multiple of `divisor` (`divisor` must be positive).
    static func isMultiple(_ value: JSONValue, of divisor: JSONValue) -> Bool {
        if case .integer(let left) = value, case .integer(let right) = divisor, right != 0 {
            return left.remainderReportingOverflow(dividingBy: right).partialValue == 0
        }
        guard let dividend = decimal(value), let step = decimal(divisor), step.mantissa != 0 else { return false }
        if dividend.mantissa == 0 { return true }
        let shift = dividend.exponent - step.exponent
        if shift >= 0 {
            // dividend.mantissa * 10^shift mod step.mantissa, one digit at a time.
            var remainder = dividend.mantissa % step.mantissa
            for _ in 0..<shift where remainder != 0 {
                let product = remainder.multipliedFullWidth(by: 10)
                remainder = step.mantissa.dividingFullWidth((product.high, product.low)).remainder
            }
            return remainder == 0
        }
        var scaled = step.mantissa
        for _ in 0 ..< -shift {
            let (next, overflow) = scaled.multipliedReportingOverflow(by: 10)
            if overflow { return false }
            scaled = next
        }
        return dividend.mantissa % scaled == 0
    }

    /// A magnitude as `mantissa × 10^exponent` with no trailing zeros in the mantissa.
    struct Decimal: Equatable {
        var mantissa: UInt64
        var exponent: Int
    }

    static func decimal(_ value: JSONValue) -> Decimal? {
        switch value {
        case .integer(let integer):
            return normalized(Decimal(mantissa: integer.magnitude, exponent: 0))
        case .number(let double):
            guard double.isFinite else { return nil }
            return decimal(fromShortestText: String(describing: double.magnitude))
        default:
            return nil
        }
    }

    /// Parses Swift's shortest round-trip text of a non-negative double (`0.1`, `1e-05`, `1.5e+20`).
    static func decimal(fromShortestText text: String) -> Decimal? {
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        guard let significand = parts.first else { return nil }
        var exponent = 0
        if parts.count == 2 {
            guard let written = Int(parts[1].hasPrefix("+") ? parts[1].dropFirst() : parts[1]) else { return nil }
            exponent = written
        }
        var mantissa: UInt64 = 0
        var seenPoint = false
        for character in significand {
            if character == "." {
                seenPoint = true
                continue
            }
            guard let digit = character.wholeNumberValue else { return nil }
            let (times10, overflow1) = mantissa.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            mantissa = next
            if seenPoint { exponent -= 1 }
        }
        return normalized(Decimal(mantissa: mantissa, exponent: exponent))
    }

    private static func normalized(_ decimal: Decimal) -> Decimal {
        var result = decimal
        while result.mantissa != 0 && result.mantissa % 10 == 0 {
            result.mantissa /= 10
            result.exponent += 1
        }
        return result
    }
}
