import ArgumentParser
import Foundation
import JSONSchema
import NexClient
import NexProtocol

/// `nex workload logs <id> [--follow]`: the workload's output from the logs feed.
struct WorkloadLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Show a workload's output as it is published.",
        discussion: "Output is live (there is no history): without --follow it stops after --quiet-period without output, and at the latest after five quiet periods.")

    @Argument(help: ArgumentHelp("The workload id.", valueName: "id"))
    var id: String

    @OptionGroup
    var feedOptions: FeedOptions

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: FeedOptions.settings, flags: try feedOptions.flags) else { return }
        let json = context.json
        let follow = context.settings.bool(FeedSettings.follow)
        let quiet = context.settings.duration(FeedSettings.quiet).duration
        try await context.withSession { session in
            let summary = try await WorkloadLookup.find(id, client: session.client)
            let feed = try await session.client.workloadLogs(namespace: summary.namespace ?? session.client.namespace, workloadID: summary.id)
            await FeedReader.read(feed, follow: follow, quiet: quiet) { chunk in
                if json {
                    let line: JSONValue = .object([
                        "namespace": .string(chunk.namespace), "workload_id": .string(chunk.workloadID),
                        "stream": .string(chunk.stream.rawValue), "data": .string(chunk.text),
                    ])
                    Console.out(line.compactText)
                } else {
                    Console.write(chunk.bytes, toStandardError: chunk.stream == .stderr)
                }
            }
        }
    }
}
