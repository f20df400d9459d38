import ArgumentParser
import Foundation
import NexClient
import NexProtocol

/// `nex node list` (alias `ls`): the nodes that answer a PING, optionally filtered by tags.
struct NodeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the nodes.", aliases: ["ls"])

    @Option(NodeQuerySettings.filter) var filter: [String] = []

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: [NodeQuerySettings.filter])
        guard let context = try CommandContext.make(globals: globals, settings: [NodeQuerySettings.filter], flags: flags) else { return }
        try context.requireSystemNamespace("nex node list")
        let tags = context.settings.map(NodeQuerySettings.filter)
        let outcome = try await context.withSession { session in
            try await session.client.listNodes(filter: tags.isEmpty ? nil : tags)
        }
        if outcome.value.isEmpty, !outcome.errors.isEmpty {
            throw CLIError("listing nodes failed: \(NexErrorList(outcome.errors).description)")
        }
        context.warn(about: outcome.errors)
        let nodes = NodeViews.sorted(outcome.value)
        if context.json {
            try context.printWire(nodes)
            return
        }
        guard !nodes.isEmpty else {
            Console.out(tags.isEmpty ? "No nodes found" : "No nodes found with tags \(NodeViews.tagText(tags))")
            return
        }
        Console.out(NodeViews.table(nodes).render())
    }
}
