import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A Go `time.Time` on the wire: an instant with nanosecond precision, kept as Unix seconds plus
/// nanoseconds (never a `Double`). It encodes as RFC 3339 in UTC with the fraction's trailing zeros
/// trimmed (`2026-04-23T08:11:12.5Z`, `2026-04-23T08:11:12Z`) and decodes RFC 3339 with or without a
/// fraction and with any offset. The zero value is Go's zero time, `0001-01-01T00:00:00Z`.
public struct GoTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let unixSeconds: Int64
    /// Nanoseconds within the second, `0..<1_000_000_000`.
    public let nanosecond: Int32

    /// Seconds from 0001-01-01 to 1970-01-01.
    static let zeroUnixSeconds: Int64 = -62_135_596_800

    /// Go's zero time, `0001-01-01T00:00:00Z` (what Go sends for a time that was never set).
    public static let zero = GoTime(unixSeconds: zeroUnixSeconds, nanosecond: 0)

    /// Creates an instant; `nanosecond` outside `0..<1e9` is carried into the seconds.
    public init(unixSeconds: Int64, nanosecond: Int64 = 0) {
        let carry = nanosecond >= 0 ? nanosecond / 1_000_000_000 : (nanosecond - 999_999_999) / 1_000_000_000
        self.unixSeconds = unixSeconds + carry
        self.nanosecond = Int32(nanosecond - carry * 1_000_000_000)
    }

    /// The zero-value `init()` gives Go's zero time.
    public init() {
        self = .zero
    }

    /// The current wall-clock time, to the nanosecond.
    public static func now() -> GoTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return GoTime(unixSeconds: Int64(spec.tv_sec), nanosecond: Int64(spec.tv_nsec))
    }

    /// True for Go's zero time.
    public var isZero: Bool { self == .zero }

    /// Parses RFC 3339 (`2006-01-02T15:04:05[.999999999](Z|±hh:mm)`).
    public init(rfc3339 text: String) throws(GoTimeError) {
        self = try GoTimeParser.parse(text)
    }

    /// RFC 3339 in UTC with nanoseconds, trailing zeros trimmed (Go's `RFC3339Nano`).
    public var rfc3339: String {
        GoTimeFormatter.format(self, fraction: true)
    }

    /// RFC 3339 in UTC without the fraction (Go's `RFC3339`), as agents send `WorkloadSummary.start_time`.
    public var rfc3339Seconds: String {
        GoTimeFormatter.format(self, fraction: false)
    }

    public var description: String { rfc3339 }

    public static func < (lhs: GoTime, rhs: GoTime) -> Bool {
        (lhs.unixSeconds, lhs.nanosecond) < (rhs.unixSeconds, rhs.nanosecond)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .zero  // Go's Time.UnmarshalJSON ignores null
            return
        }
        try self.init(rfc3339: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        guard (0...9999).contains(GoTimeFormatter.civil(self).year) else {
            throw GoJSONError.unsupportedValue("Time.MarshalJSON: year outside of range [0,9999]")
        }
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

extension GoTime {
    /// The instant `duration` later (earlier when negative).
    public func adding(_ duration: GoDuration) -> GoTime {
        let seconds = duration.nanoseconds / 1_000_000_000
        let nanos = duration.nanoseconds % 1_000_000_000
        return GoTime(unixSeconds: unixSeconds + seconds, nanosecond: Int64(nanosecond) + nanos)
    }

    /// `self - other` (Go's `Time.Sub`), saturating at the Int64 nanosecond range.
    public func duration(since other: GoTime) -> GoDuration {
        let seconds = unixSeconds.subtractingReportingOverflow(other.unixSeconds)
        let scaled = seconds.partialValue.multipliedReportingOverflow(by: 1_000_000_000)
        let total = scaled.partialValue.addingReportingOverflow(Int64(nanosecond) - Int64(other.nanosecond))
        if seconds.overflow || scaled.overflow || total.overflow {
            return GoDuration(nanoseconds: unixSeconds >= other.unixSeconds ? .max : .min)
        }
        return GoDuration(nanoseconds: total.partialValue)
    }

    /// Converts a `Date` (whose `Double` storage limits precision to about a microsecond today).
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        // Dates beyond ±2^62 s (far outside any calendar use) are clamped rather than trapping.
        let bound = Double(Int64(1) << 62)
        let seconds = interval.isNaN ? 0 : min(max(interval.rounded(.down), -bound), bound)
        let nanos = interval.isNaN ? 0 : min(max(((interval - seconds) * 1e9).rounded(), 0), 999_999_999)
        self.init(unixSeconds: Int64(seconds), nanosecond: Int64(nanos))
    }

    /// The same instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(unixSeconds) + Double(nanosecond) / 1e9)
    }
}

extension GoTime: GoJSONField {
    public static func goValueForNull() -> GoTime { .zero }
    /// Go's `omitempty` never drops a `time.Time` (it is a struct).
    public var goIsEmpty: Bool { false }
}
