import Foundation
import JSONSchema
import Logging

/// How log lines look: the Go CLI's text format `<time> [<LEVEL>] [<group>] <message> key=value …`, or
/// one JSON object per line with `--json`.
struct LogFormat: Sendable {
    var json = false
    var color = false
    var shortLevels = false
    /// A Go layout name: DateTime, TimeOnly, DateOnly, Stamp, RFC822 or RFC3339.
    var timeFormat = "DateTime"
    var withPID = false
    var groupOnRight = false
    var lineInfo = false

    struct Record: Sendable {
        var date: Date
        var level: Logger.Level
        var message: String
        var group: String?
        var metadata: [String: String]
        var file: String
        var line: UInt
    }

    func render(_ record: Record) -> String {
        json ? renderJSON(record) : renderText(record)
    }

    private func renderText(_ record: Record) -> String {
        var parts = [GoTimeLayout.format(record.date, layout: timeFormat)]
        if withPID { parts.append("[\(ProcessInfo.processInfo.processIdentifier)]") }
        parts.append("[\(levelText(record.level))]")
        if let group = record.group, !groupOnRight { parts.append("[\(group)]") }
        parts.append(record.message)
        for key in record.metadata.keys.sorted() {
            parts.append("\(key)=\(Self.quoteIfNeeded(record.metadata[key] ?? ""))")
        }
        if lineInfo { parts.append("source=\(URL(fileURLWithPath: record.file).lastPathComponent):\(record.line)") }
        if let group = record.group, groupOnRight { parts.append("[\(group)]") }
        return parts.joined(separator: " ")
    }

    private func renderJSON(_ record: Record) -> String {
        var fields: [(String, String)] = [
            ("time", GoTimeLayout.format(record.date, layout: "RFC3339")),
            ("level", Self.levelName(record.level)),
            ("msg", record.message),
        ]
        if let group = record.group { fields.append(("group", group)) }
        if withPID { fields.append(("pid", String(ProcessInfo.processInfo.processIdentifier))) }
        if lineInfo { fields.append(("source", "\(URL(fileURLWithPath: record.file).lastPathComponent):\(record.line)")) }
        for key in record.metadata.keys.sorted() { fields.append((key, record.metadata[key] ?? "")) }
        return "{" + fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
    }

    private func levelText(_ level: Logger.Level) -> String {
        let name = shortLevels ? Self.shortName(level) : Self.levelName(level)
        guard color else { return name }
        return Self.colorCode(level) + name + "\u{1B}[0m"
    }

    /// Go slog names plus the CLI's extra levels.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info, .notice: "INFO"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "FATAL"
        }
    }

    static func shortName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRC"
        case .debug: "DBG"
        case .info, .notice: "INF"
        case .warning: "WRN"
        case .error: "ERR"
        case .critical: "FTL"
        }
    }

    private static func colorCode(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "\u{1B}[90m"
        case .info, .notice: "\u{1B}[32m"
        case .warning: "\u{1B}[33m"
        case .error, .critical: "\u{1B}[31m"
        }
    }

    /// Values with spaces, quotes or `=` are quoted, as Go's slog text handler does.
    static func quoteIfNeeded(_ value: String) -> String {
        if value.isEmpty { return "\"\"" }
        let needsQuotes = value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline || $0 == "\t" }
        return needsQuotes ? jsonString(value) : value
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        JSONValue.string(text).compactText
    }
}
