import ArgumentParser
import Foundation
import JSONSchema
import NexClient
import NexProtocol

/// `nex events [--follow]`: node, nexlet and workload events as they are published.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Show events as they are published.",
        discussion: """
            In the system namespace every event is shown; in another namespace, that namespace's workload events. \
            Nodes publish events only with "node up --events nats". Without --follow the command stops after \
            --quiet-period without events.
            """)

    @OptionGroup
    var feedOptions: FeedOptions

    @Option(name: .customLong("from"), help: ArgumentHelp("Only events from this node id, agent id or namespace.", valueName: "source"))
    var from: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: FeedOptions.settings, flags: try feedOptions.flags) else { return }
        let json = context.json
        let follow = context.settings.bool(FeedSettings.follow)
        let quiet = context.settings.duration(FeedSettings.quiet).duration
        let source = from ?? (context.namespace == NexConstants.systemNamespace ? nil : context.namespace)
        try await context.withSession { session in
            let feed = try await session.client.events(from: source)
            await FeedReader.read(feed, follow: follow, quiet: quiet) { event in
                let payload = (try? JSONValue(parsing: event.payload)) ?? .string(String(decoding: event.payload, as: UTF8.self))
                if json {
                    Console.out(JSONValue.object(["from": .string(event.from), "name": .string(event.name), "event": payload]).compactText)
                } else {
                    let time = GoTimeLayout.format(Date(), layout: "DateTime")
                    Console.out("\(time) \(event.name) from \(event.from) \(payload.compactText)")
                }
            }
        }
    }
}
