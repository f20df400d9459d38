import ArgumentParser
import Foundation
import NATSKit
import NexNode
import NexProtocol

/// `nex state import <node-id> <file>`: writes the entries of an export into a node's bucket (creating it
/// when the node has not run with `--state kv` yet), to move desired workloads to another node. The node
/// starts them the next time its agents register, i.e. on its next start.
struct StateImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import exported desired workloads into a node's state bucket (started on the node's next start).")

    @Argument(help: ArgumentHelp("The node id (N…) to import into.", valueName: "node-id"))
    var nodeID: String

    @Argument(help: ArgumentHelp("A file written by nex state export.", valueName: "file"))
    var file: String

    @Flag(name: .customLong("overwrite"), help: "Replace workloads whose ids the bucket already holds.")
    var overwrite = false

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        try NodeID.check(nodeID)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CLIError("cannot read \(file): \(CLIError.singleLine(error.localizedDescription))", exitCode: ExitStatus.usage)
        }
        let document = try StateDocument.parse(data, file: file)
        let nodeID = self.nodeID
        let overwrite = self.overwrite
        let written = try await context.withSession { session in
            try await Self.write(document.entries, nodeID: nodeID, overwrite: overwrite, connection: session.connection)
        }
        Console.out("Imported \(written) workload\(written == 1 ? "" : "s") into node \(nodeID); they start when the node next starts (node up --state kv with its seed)")
    }

    /// Checks for existing ids first (nothing is written when one exists without `overwrite`), then writes.
    private static func write(_ entries: [StateEntry], nodeID: String, overwrite: Bool, connection: NatsConnection) async throws -> Int {
        let state: KVWorkloadState
        do {
            state = try await KVWorkloadState.open(connection: connection, nodeID: nodeID)
        } catch {
            throw CLIError("cannot open or create the state bucket \(StateKey.bucket(nodeID: nodeID)): \(CLIError.singleLine("\(error)"))")
        }
        let store = state.store
        let keys = try await store.keys()
        let existing = entries.filter { entry in keys.contains { StateKey.parse($0)?.workloadID == entry.workloadID } }
        if !existing.isEmpty, !overwrite {
            let ids = existing.map(\.workloadID)
            let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : "")
            throw CLIError("node \(nodeID) already holds \(ids.count) of these workload id\(ids.count == 1 ? "" : "s") (\(shown)); nothing was imported",
                           hint: "use --overwrite to replace them")
        }
        for entry in entries {
            for key in keys where StateKey.parse(key)?.workloadID == entry.workloadID {
                try await store.purge(key)
            }
            do {
                _ = try await store.put(StateKey.key(workloadType: entry.workloadType, workloadID: entry.workloadID), GoJSON.encode(entry.request))
            } catch {
                throw CLIError("writing workload \(entry.workloadID) into \(store.bucket) failed: \(CLIError.singleLine("\(error)"))")
            }
        }
        return entries.count
    }
}
