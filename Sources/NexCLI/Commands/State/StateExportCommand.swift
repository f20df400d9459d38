import ArgumentParser
import Foundation
import NexProtocol

/// `nex state export <node-id> [-o file]`: a node's desired workloads as one JSON document.
struct StateExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a node's stored desired workloads as JSON (for nex state import).")

    @Argument(help: ArgumentHelp("The node id (N…).", valueName: "node-id"))
    var nodeID: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        try NodeID.check(nodeID)
        let nodeID = self.nodeID
        let entries = try await context.withSession { session in
            try await StateBucket.open(nodeID: nodeID, connection: session.connection).entries()
        }
        let document = StateDocument(nodeID: nodeID, exportedAt: GoTime.now().rfc3339Seconds, entries: entries)
        let text = JSONOutput.pretty(try document.json())
        guard let output else {
            Console.out(text)
            return
        }
        do {
            try PrivateFiles.write(text + "\n", to: output)
        } catch {
            throw CLIError("cannot write \(output): \(CLIError.singleLine("\(error)"))")
        }
        Console.out("Exported \(entries.count) workload\(entries.count == 1 ? "" : "s") of node \(nodeID) to \(output)")
    }
}
