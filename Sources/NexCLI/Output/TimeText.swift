import Foundation
import NexProtocol

/// Human renderings of durations and times for tables.
enum TimeText {
    /// Compact duration, largest units first, zero units left out: `1d 2h 3m 4s`, `45s`, `0s`. At most
    /// `units` units are shown.
    static func compact(seconds total: Int64, units: Int = 4) -> String {
        guard total > 0 else { return "0s" }
        let parts: [(Int64, String)] = [
            (total / 86_400, "d"), (total % 86_400 / 3_600, "h"), (total % 3_600 / 60, "m"), (total % 60, "s"),
        ]
        var shown: [String] = []
        for (value, unit) in parts where value > 0 {
            shown.append("\(value)\(unit)")
            if shown.count == units { break }
        }
        return shown.joined(separator: " ")
    }

    static func compact(_ duration: GoDuration, units: Int = 4) -> String {
        compact(seconds: duration.nanoseconds / 1_000_000_000, units: units)
    }

    /// Time since `time`: `3m 12s`; `--` for the zero time.
    static func since(_ time: GoTime, now: Date = Date(), units: Int = 4) -> String {
        guard !time.isZero else { return "--" }
        let seconds = Int64(now.timeIntervalSince(time.date).rounded(.down))
        return compact(seconds: max(seconds, 0), units: units)
    }

    /// `2m 5s ago` for an RFC 3339 text; the text itself when it does not parse; `--` when empty.
    static func ago(rfc3339 text: String, now: Date = Date()) -> String {
        guard !text.isEmpty else { return "--" }
        guard let time = try? GoTime(rfc3339: text) else { return text }
        return since(time, now: now, units: 2) + " ago"
    }
}
