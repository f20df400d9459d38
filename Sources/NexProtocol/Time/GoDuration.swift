/// A Go `time.Duration`: a signed count of nanoseconds that travels as a Go duration string
/// (`0s`, `1.5s`, `1m0s`, `1h2m3.004s`, `250µs`, `100ns`).
public struct GoDuration: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The length in nanoseconds.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public static let zero = GoDuration(nanoseconds: 0)
    public static let nanosecond = GoDuration(nanoseconds: 1)
    public static let microsecond = GoDuration(nanoseconds: 1_000)
    public static let millisecond = GoDuration(nanoseconds: 1_000_000)
    public static let second = GoDuration(nanoseconds: 1_000_000_000)
    public static let minute = GoDuration(nanoseconds: 60_000_000_000)
    public static let hour = GoDuration(nanoseconds: 3_600_000_000_000)

    public static func milliseconds(_ count: Int64) -> GoDuration {
        GoDuration(nanoseconds: count.multipliedReportingOverflow(by: 1_000_000).partialValue)
    }

    public static func seconds(_ count: Int64) -> GoDuration {
        GoDuration(nanoseconds: count.multipliedReportingOverflow(by: 1_000_000_000).partialValue)
    }

    /// Parses a Go duration string, exactly as `time.ParseDuration` does.
    public init(parsing text: String) throws(GoDurationError) {
        self.init(nanoseconds: try GoDurationParser.parse(text))
    }

    /// The Go spelling, as `time.Duration.String()` produces it.
    public var description: String {
        GoDurationFormatter.format(nanoseconds)
    }

    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension GoDuration {
    /// Converts a Swift `Duration`, truncating below one nanosecond and saturating at the Int64 range
    /// (about ±292 years), like Go's own conversions clamp.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (wholeNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = wholeNanos.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow || overflow2 {
            nanoseconds = seconds < 0 ? .min : .max
        } else {
            nanoseconds = total
        }
    }

    /// The same length as a Swift `Duration`.
    public var duration: Duration {
        .nanoseconds(nanoseconds)
    }
}

extension GoDuration: GoJSONField {
    public static func goValueForNull() -> GoDuration { .zero }
    public var goIsEmpty: Bool { nanoseconds == 0 }
}
