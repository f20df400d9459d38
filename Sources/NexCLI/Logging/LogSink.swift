import Foundation
import Logging
import NATSKit
import NexProtocol
import Synchronization

/// Where formatted log lines go (`--logger.target`): `std` (errors to stderr, the rest to stdout), `file`
/// (`nex.log` and `nex.err` in the current directory, truncated at start) and `nats` (the node's log feed
/// `$NEX.FEED.system.logs.<nodeId>.stdout|stderr`, once a connection is attached).
final class LogSink: Sendable {
    let format: LogFormat
    let level: Logger.Level
    /// Groups whose records are dropped (`workload` unless `--show-workload-logs`).
    let hiddenGroups: Set<String>
    private let toStd: Bool
    private let files: (out: FileHandle, err: FileHandle)?
    private let nats = Mutex<(enabled: Bool, connection: NatsConnection?, nodeID: String?)>((false, nil, nil))

    init(format: LogFormat, level: Logger.Level, targets: [String], hiddenGroups: Set<String> = []) throws(CLIError) {
        self.format = format
        self.level = level
        self.hiddenGroups = hiddenGroups
        toStd = targets.contains("std")
        if targets.contains("file") {
            let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            files = (try Self.truncate(directory.appendingPathComponent("nex.log")),
                     try Self.truncate(directory.appendingPathComponent("nex.err")))
        } else {
            files = nil
        }
        nats.withLock { $0.enabled = targets.contains("nats") }
    }

    /// Starts publishing to the node's log feed (only with the `nats` target).
    func attach(connection: NatsConnection, nodeID: String) {
        nats.withLock { state in
            guard state.enabled else { return }
            state.connection = connection
            state.nodeID = nodeID
        }
    }

    func detach() {
        nats.withLock { $0.connection = nil }
    }

    func write(_ record: LogFormat.Record) {
        if let group = record.group, hiddenGroups.contains(group) { return }
        let line = format.render(record)
        let isError = record.level >= .error
        if toStd { Console.write(line + "\n", to: isError ? STDERR_FILENO : STDOUT_FILENO) }
        if let files { (isError ? files.err : files.out).write(Data((line + "\n").utf8)) }
        let (connection, nodeID) = nats.withLock { ($0.connection, $0.nodeID) }
        if let connection, let nodeID {
            try? connection.publish(NexSubject.nodeLogs(nodeID: nodeID, stream: isError ? .stderr : .stdout), payload: Data(line.utf8))
        }
    }

    private static func truncate(_ url: URL) throws(CLIError) -> FileHandle {
        // issue 12: created 0600 by open(2) itself: the log may show workload output and secrets' surroundings.
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CLIError("--logger.target file: cannot create \(url.path)", hint: "run nex in a writable directory", exitCode: ExitStatus.usage)
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
