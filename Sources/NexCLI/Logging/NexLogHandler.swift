import Foundation
import Logging

/// A swift-log handler writing to a ``LogSink``. The logger's label is the log group, except for the
/// node's own `nex` label.
struct NexLogHandler: LogHandler {
    let label: String
    let sink: LogSink
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, sink: LogSink) {
        self.label = label
        self.sink = sink
        logLevel = sink.level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var fields = merged.mapValues { "\($0)" }
        let group = fields.removeValue(forKey: "group") ?? (label == NexLogging.nodeLabel ? nil : label)
        sink.write(LogFormat.Record(
            date: Date(), level: event.level, message: "\(event.message)", group: group, metadata: fields,
            file: event.file, line: event.line))
    }
}
