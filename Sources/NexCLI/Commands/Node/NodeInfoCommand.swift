import ArgumentParser
import Foundation
import NexClient
import NexProtocol

/// `nex node info <node-id> [--full]`: one node's details and its nexlets.
struct NodeInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a node's details and its nexlets.")

    @Argument(help: ArgumentHelp("The node id (N…), as \"nex node list\" shows it.", valueName: "node-id"))
    var nodeID: String

    @Flag(NodeQuerySettings.full) var full: Bool?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: [NodeQuerySettings.full])
        guard let context = try CommandContext.make(globals: globals, settings: [NodeQuerySettings.full], flags: flags) else { return }
        try context.requireSystemNamespace("nex node info")
        try NodeID.check(nodeID)
        let info: NodeInfoResponse
        do {
            info = try await context.withSession { session in try await session.client.nodeInfo(nodeID: nodeID) }
        } catch let error as NexError where error.status == NexErrorCode.notFound {
            throw CLIError("node \(nodeID) not found", hint: "check the id with \"nex node list\"")
        }
        if context.json {
            try context.printWire(info)
            return
        }
        Console.out(NodeInfoView.render(info, full: context.settings.bool(NodeQuerySettings.full)))
    }
}
