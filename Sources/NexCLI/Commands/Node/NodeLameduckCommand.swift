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

    @Option(NodeQuerySettings.delay) var delay: String?

    @Option(NodeQuerySettings.tag) var tag: [String] = []

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: [NodeQuerySettings.delay, NodeQuerySettings.tag])
        guard let context = try CommandContext.make(globals: globals, settings: [NodeQuerySettings.delay, NodeQuerySettings.tag], flags: flags) else { return }
        try context.requireSystemNamespace("nex node lameduck")
        try NodeID.check(nodeID)
        let delay = context.settings.duration(NodeQuerySettings.delay)
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
