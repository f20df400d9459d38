import Logging
import Synchronization

/// A `LogHandler` that keeps every record as one line (`<level>: <message> <key>=<value>…`, metadata sorted by
/// key), for tests that check what a node or nexlet logs. All handlers made from one recorder share its lines.
public final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// A logger whose records land here; `level` is the lowest level kept.
    public func logger(label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// Every line so far, oldest first.
    public var all: [String] { lines.withLock { $0 } }

    /// Whether some line contains `text`.
    public func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let extra = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
            recorder.append("\(event.level): \(event.message)\(extra)")
        }
    }
}
