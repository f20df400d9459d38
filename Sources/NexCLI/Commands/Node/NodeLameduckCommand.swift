import ArgumentParser
import Foundation
import NexClient
import NexProtocol

/// `nex node lameduck <node-id> [--delay 1m] [--tag k=v]` (alias `down`): the node stops bidding and shuts
/// down after the delay.
struct NodeLameduckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lameduck", abstract: "Put a node into lameduck mode: it stops taking work and shuts down after --delay.",
        aliases: ["down"])

    @Argument(help: ArgumentHelp("The node id (N…).", valueName: "node-id"))
    var nodeID: String

    @Option(name: .customLong("delay"), help: ArgumentHelp("How long until the node shuts down (default 1m).", valueName: "duration"))
    var delay: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("Act only if the node has these tags, k=v;k2=v2 (repeatable).", valueName: "tags"))
    var tag: [String] = []

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        var flags = FlagValues()
        flags.add(NodeQuerySettings.delay, delay)
        flags.add(NodeQuerySettings.tag, tag)
        guard let context = try CommandContext.make(globals: globals, settings: [NodeQuerySettings.delay, NodeQuerySettings.tag], flags: flags) else { return }
        try context.requireSystemNamespace("nex node lameduck")
        try NodeID.check(nodeID)
        let delay = context.settings.duration(NodeQuerySettings.delay)
        guard delay >= .zero else { throw CLIError("--delay must not be negative", exitCode: ExitStatus.usage) }
        let tags = context.settings.map(NodeQuerySettings.tag)
        let response: LameduckResponse
        do {
            response = try await context.withSession { session in
                try await session.client.setLameduck(nodeID: nodeID, delay: delay.duration, tag: tags.isEmpty ? nil : tags)
            }
        } catch let error as NexError where error.body == "failed to request lameduck" && !tags.isEmpty {
            throw CLIError("node \(nodeID) did not answer", hint: "it ignores the request when its tags do not match --tag \(NodeViews.tagText(tags))")
        }
        if context.json {
            try context.printWire(response)
            guard response.success else { throw ExitCode(ExitStatus.failure) }
            return
        }
        guard response.success else {
            if response.message.isEmpty {
                throw CLIError("node \(nodeID) not found", hint: "check the id with \"nex node list\"")
            }
            throw CLIError("node \(nodeID) did not enter lameduck mode: \(response.message)")
        }
        let until = GoTime.now().adding(delay)
        Console.out("Node \(nodeID) is in lameduck mode and shuts down at \(until.rfc3339Seconds) (in \(delay))")
    }
}
