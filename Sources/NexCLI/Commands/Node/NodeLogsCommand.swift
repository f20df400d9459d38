import ArgumentParser
import Foundation
import NexClient
import NexProtocol

/// `nex node logs <node-id> [--tail N] [--since 10m] [--follow]`: a node's own log lines from the log history,
/// then live. Nodes publish their log only with `--logger.target nats` (e.g. `--logger.target std,nats`).
struct NodeLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Show a node's own log: the last lines, then (with --follow) new ones as they come.",
        discussion: """
            A node publishes its log on $NEX.FEED.system.logs.<node-id>.stdout|stderr only when run with \
            --logger.target nats (e.g. "--logger.target std,nats"); the nexus keeps it in the JetStream stream NEX_LOGS.
            """)

    @Argument(help: ArgumentHelp("The node id (N…).", valueName: "node-id"))
    var nodeID: String

    @OptionGroup
    var historyOptions: HistoryOptions

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: HistoryOptions.settings, flags: try historyOptions.flags) else { return }
        try context.requireSystemNamespace("nex node logs")
        try NodeID.check(nodeID)
        let json = context.json
        let follow = context.settings.bool(FeedSettings.follow)
        let quiet = context.settings.duration(FeedSettings.quiet).duration
        let window = context.settings.historyWindow()
        let nodeID = self.nodeID
        try await context.withSession { session in
            try await HistoryReader.read(
                follow: follow, quiet: quiet,
                history: { try await session.client.nodeLogHistory(nodeID: nodeID, window: window) },
                live: { try await session.client.workloadLogs(namespace: NexConstants.systemNamespace, workloadID: nodeID) }
            ) { chunk, sequence, time in
                LogChunkOutput.print(chunk, sequence: sequence, time: time, json: json, source: "node_id", lines: true)
            }
        }
    }
}
