import Logging

/// The loggers of one `nex` process.
enum NexLogging {
    /// The node's label (no group shown).
    static let nodeLabel = "nex"
    /// The group of workload output lines (hidden unless `--show-workload-logs`).
    static let workloadGroup = "workload"
    static let eventGroup = "event_emitter"

    /// Builds the sink from the logger settings and makes it the process-wide logging backend.
    static func bootstrap(_ settings: ResolvedSettings, showWorkloadLogs: Bool) throws(CLIError) -> LogSink {
        var format = LogFormat()
        format.json = settings.bool(GlobalSettings.json)
        format.color = settings.bool(LoggerSettings.color)
        format.shortLevels = settings.bool(LoggerSettings.short)
        format.timeFormat = settings.string(LoggerSettings.timeFormat)
        format.withPID = settings.bool(LoggerSettings.withPID)
        format.groupOnRight = settings.bool(LoggerSettings.groupOnRight)
        format.lineInfo = settings.bool(LoggerSettings.lineInfo)
        let sink = try LogSink(
            format: format, level: level(settings.string(LoggerSettings.level)), targets: settings.list(LoggerSettings.target),
            hiddenGroups: showWorkloadLogs ? [] : [workloadGroup])
        LoggingSystem.bootstrap { label in NexLogHandler(label: label, sink: sink) }
        return sink
    }

    static func level(_ name: String) -> Logger.Level {
        switch name {
        case "fatal": .critical
        case "error": .error
        case "warn": .warning
        case "debug": .debug
        case "trace": .trace
        default: .info
        }
    }
}
