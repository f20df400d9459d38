import ArgumentParser
import Foundation
import JSONSchema
import NexClient
import NexProtocol
import Synchronization

/// `nex workload logs <id> [--tail N] [--since 10m] [--follow]`: the workload's output from the log history,
/// then live.
struct WorkloadLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Show a workload's output: the last lines, then (with --follow) new ones as they come.",
        discussion: """
            The history is kept by the nexus in the JetStream stream NEX_LOGS (see "node up --log-history-*"); it \
            outlives the workload. Without JetStream the command says so and shows live output only: then, without \
            --follow, it stops after --quiet-period without output, at the latest after five quiet periods.
            """)

    @Argument(help: ArgumentHelp("The workload id.", valueName: "id"))
    var id: String

    @OptionGroup
    var historyOptions: HistoryOptions

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: HistoryOptions.settings, flags: try historyOptions.flags) else { return }
        let json = context.json
        let follow = context.settings.bool(FeedSettings.follow)
        let quiet = context.settings.duration(FeedSettings.quiet).duration
        let window = context.settings.historyWindow()
        let id = self.id
        try await context.withSession { session in
            let client = session.client
            // A workload that has ended is no longer listed, but its history stays: then read it by id, in the
            // client's namespace (the system namespace: in any namespace).
            let running = try await WorkloadLookup.running(id, client: client)
            let workloadID = running?.id ?? id
            let namespace = running.map { $0.namespace ?? client.namespace } ?? (client.isSystem ? "*" : client.namespace)
            let shown = Atomic<Int>(0)
            try await HistoryReader.read(
                follow: follow, quiet: quiet,
                history: { try await client.workloadLogHistory(namespace: namespace, workloadID: workloadID, window: window) },
                live: {
                    guard running != nil else { throw WorkloadLookup.notFound(id, namespace: client.namespace) }
                    return try await client.workloadLogs(namespace: namespace, workloadID: workloadID)
                }
            ) { chunk, sequence, time in
                shown.add(1, ordering: .relaxed)
                LogChunkOutput.print(chunk, sequence: sequence, time: time, json: json, source: "workload_id")
            }
            if running == nil && !follow && shown.load(ordering: .relaxed) == 0 && window.tail != 0 {
                throw CLIError("workload \(id) not found in namespace \"\(client.namespace)\", and it has no log history",
                               hint: "list the workloads with \"nex workload list\"; history is kept for --log-history-max-age")
            }
        }
    }
}

/// How `workload logs` and `node logs` print a chunk: its bytes to stdout or stderr as the workload wrote them, or
/// with `--json` one object per chunk (with the stream sequence and the time it was stored, when it came from the
/// history).
enum LogChunkOutput {
    /// `lines`: the chunks are whole lines published without their newline (node logs), so one is added.
    static func print(_ chunk: WorkloadLogChunk, sequence: UInt64?, time: Date?, json: Bool, source: String, lines: Bool = false) {
        if json {
            var line: [String: JSONValue] = [
                "namespace": .string(chunk.namespace), source: .string(chunk.workloadID),
                "stream": .string(chunk.stream.rawValue), "data": .string(chunk.text),
            ]
            if let sequence { line["seq"] = .integer(Int64(clamping: sequence)) }
            if let time { line["time"] = .string(GoTime(time).rfc3339) }
            Console.out(JSONValue.object(line).compactText)
        } else {
            var bytes = chunk.bytes
            if lines { bytes.append(0x0A) }
            Console.write(bytes, toStandardError: chunk.stream == .stderr)
        }
    }
}

extension GoTime {
    /// The instant of a `Date`, to the nanosecond as far as the `Date` holds it.
    init(_ date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        self.init(unixSeconds: Int64(seconds), nanosecond: Int64(((date.timeIntervalSince1970 - seconds) * 1e9).rounded()))
    }
}
