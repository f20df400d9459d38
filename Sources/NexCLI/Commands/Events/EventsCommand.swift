import ArgumentParser
import Foundation
import JSONSchema
import NexClient
import NexProtocol

/// `nex events [--tail N] [--since 10m] [--follow]`: node, nexlet and workload events, from the event history
/// when `--tail` or `--since` is given, otherwise as they are published.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Show events: past ones with --tail or --since, then new ones as they are published.",
        discussion: """
            In the system namespace every event is shown; in another namespace, that namespace's workload events. \
            Nodes publish events only with "node up --events nats"; the nexus keeps them in the JetStream stream \
            NEX_EVENTS. With --tail or --since the command shows the history and, without --follow, stops there; \
            otherwise it shows new events and, without --follow, stops after --quiet-period without events.
            """)

    @Option(unconditional: HistorySettings.eventTail) var tail: String?
    @Option(unconditional: HistorySettings.since) var since: String?

    @OptionGroup
    var feedOptions: FeedOptions

    @Option(name: .customLong("from"), help: ArgumentHelp("Only events from this node id, agent id or namespace.", valueName: "source"))
    var from: String?

    static let settings = [HistorySettings.eventTail, HistorySettings.since] + FeedOptions.settings

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: Self.settings, unbound: ["from"])
        guard let context = try CommandContext.make(globals: globals, settings: Self.settings, flags: flags) else { return }
        let json = context.json
        let follow = context.settings.bool(FeedSettings.follow)
        let quiet = context.settings.duration(FeedSettings.quiet).duration
        let window = context.settings.historyWindow(tail: HistorySettings.eventTail)
        let source = from ?? (context.namespace == NexConstants.systemNamespace ? nil : context.namespace)
        let print: @Sendable (NexEventMessage, Date?) -> Void = { event, time in
            let payload = (try? JSONValue(parsing: event.payload)) ?? .string(String(decoding: event.payload, as: UTF8.self))
            if json {
                var line: [String: JSONValue] = ["from": .string(event.from), "name": .string(event.name), "event": payload]
                if let time { line["time"] = .string(GoTime(time).rfc3339) }
                Console.out(JSONValue.object(line).compactText)
            } else {
                let shown = GoTimeLayout.format(time ?? Date(), layout: "DateTime")
                Console.out("\(shown) \(event.name) from \(event.from) \(payload.compactText)")
            }
        }
        try await context.withSession { session in
            if window.tail == nil && window.since == nil {
                let feed = try await session.client.events(from: source)
                await FeedReader.read(feed, follow: follow, quiet: quiet) { print($0, nil) }
                return
            }
            try await HistoryReader.read(
                follow: follow, quiet: quiet,
                history: { try await session.client.eventHistory(from: source, window: window) },
                live: { try await session.client.events(from: source) }
            ) { event, _, time in print(event, time) }
        }
    }
}
