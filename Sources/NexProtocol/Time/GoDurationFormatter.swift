/// Go's `time.Duration.String()`.
///
/// Below one second the largest fitting unit among `ns`, `µs` (U+00B5) and `ms` is used with a trimmed
/// fraction (`1.5µs`); from one second on the form is `[<h>h][<m>m]<s>[.<frac>]s` where minutes and seconds
/// are always present once a larger unit is (`1m0s`, `1h0m0s`). Zero is `0s`.
enum GoDurationFormatter {
    static func format(_ nanoseconds: Int64) -> String {
        let negative = nanoseconds < 0
        let magnitude = nanoseconds.magnitude  // exact, also for Int64.min
        var text: String
        if magnitude == 0 {
            return "0s"
        } else if magnitude < 1_000_000_000 {
            let (unit, precision): (String, Int)
            switch magnitude {
            case ..<1_000: (unit, precision) = ("ns", 0)
            case ..<1_000_000: (unit, precision) = ("\u{00B5}s", 3)
            default: (unit, precision) = ("ms", 6)
            }
            text = decimal(magnitude, fractionDigits: precision) + unit
        } else {
            let seconds = magnitude / 1_000_000_000
            let nanos = magnitude % 1_000_000_000
            text = decimal((seconds % 60) * 1_000_000_000 + nanos, fractionDigits: 9) + "s"
            let minutes = seconds / 60
            if minutes > 0 {
                text = String(minutes % 60) + "m" + text
                let hours = minutes / 60
                if hours > 0 {
                    text = String(hours) + "h" + text
                }
            }
        }
        return negative ? "-" + text : text
    }

    /// `value / 10^fractionDigits` in decimal with trailing fraction zeros (and a bare point) removed.
    private static func decimal(_ value: UInt64, fractionDigits: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let whole = String(value / scale)
        let fraction = value % scale
        guard fraction != 0 else { return whole }
        var digits = String(fraction)
        digits = String(repeating: "0", count: fractionDigits - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        return whole + "." + digits
    }
}
