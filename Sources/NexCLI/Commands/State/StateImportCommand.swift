import ArgumentParser
import Foundation
import Minter
import NATSKit
import NexNode
import NexProtocol

/// `nex state import <node-id> <file>`: writes the entries of an export into a node's bucket (creating it
/// when the node has not run with `--state kv` yet), to move desired workloads to another node. The node
/// starts them the next time its agents register, i.e. on its next start.
///
/// Nodes seal each stored `run_request` with a key derived from their seed, so entries exported from one node
/// open only there: to move them to another node id, give both seeds (`--source-node-seed-file`,
/// `--node-seed-file`); entries are opened with the source's key and sealed with the target's. Without seeds
/// the entries are copied as they are.
struct StateImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import exported desired workloads into a node's state bucket (started on the node's next start).")

    @Argument(help: ArgumentHelp("The node id (N…) to import into.", valueName: "node-id"))
    var nodeID: String

    @Argument(help: ArgumentHelp("A file written by nex state export.", valueName: "file"))
    var file: String

    @Flag(name: .customLong("overwrite"), help: "Replace workloads whose ids the bucket already holds.")
    var overwrite = false

    // issue 12: limits
    @Option(name: .customLong("source-node-seed-file"), help: ArgumentHelp("Seed file of the node the entries were exported from: opens their sealed run requests.", valueName: "file"))
    var sourceNodeSeedFile: String?

    @Option(name: .customLong("node-seed-file"), help: ArgumentHelp("Seed file of the target node (its public key must be <node-id>): seals the run requests for it.", valueName: "file"))
    var nodeSeedFile: String?

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
        var document = try StateDocument.parse(data, file: file)
        document.entries = try reseal(document.entries)
        let nodeID = self.nodeID
        let overwrite = self.overwrite
        let written = try await context.withSession { session in
            try await Self.write(document.entries, nodeID: nodeID, overwrite: overwrite, connection: session.connection)
        }
        Console.out("Imported \(written) workload\(written == 1 ? "" : "s") into node \(nodeID); they start when the node next starts (node up --state kv with its seed)")
    }

    /// The entries opened with the source node's state key and sealed with the target's, as far as seeds are
    /// given; sealed entries that the target could not open are an error (or, without any seed, a warning).
    private func reseal(_ entries: [StoredWorkload]) throws(CLIError) -> [StoredWorkload] {
        let source = try sourceNodeSeedFile.map { path throws(CLIError) in try Self.seal(path, flag: "--source-node-seed-file", expecting: nil) }
        let target = try nodeSeedFile.map { path throws(CLIError) in try Self.seal(path, flag: "--node-seed-file", expecting: nodeID) }
        guard let target else {
            if source != nil {
                throw CLIError("--source-node-seed-file needs --node-seed-file: the run requests are sealed again for the target node, never stored in the clear",
                               exitCode: ExitStatus.usage)
            }
            let foreign = entries.filter { SealedText.isSealed($0.request.runRequest) }
            if !foreign.isEmpty {
                Console.err("warning: \(foreign.count) entr\(foreign.count == 1 ? "y is" : "ies are") sealed with a node's state key and open only on that node; to move them to another node give --source-node-seed-file and --node-seed-file")
            }
            return entries
        }
        var result: [StoredWorkload] = []
        for entry in entries {
            var request = entry.request
            do {
                if let source, SealedText.sender(of: request.runRequest) == source.publicKey {
                    request = try source.open(request)
                }
                if let sender = SealedText.sender(of: request.runRequest), sender != target.publicKey {
                    throw CLIError("entry \(entry.workloadID) is sealed by state key \(sender) of another node: give that node's seed with --source-node-seed-file",
                                   exitCode: ExitStatus.usage)
                }
                request = try target.seal(request)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("entry \(entry.workloadID): \(CLIError.singleLine("\(error)"))")
            }
            result.append(StoredWorkload(workloadID: entry.workloadID, workloadType: entry.workloadType, request: request))
        }
        return result
    }

    /// The state seal of the node whose seed is in `path` (checked against `expecting`, a node id).
    private static func seal(_ path: String, flag: String, expecting nodeID: String?) throws(CLIError) -> WorkloadStateSeal {
        let seed = try SecretFile.read(path, flag: flag)
        do {
            let keys = try KeyPair(seed: seed, expecting: .server, role: flag)
            if let nodeID, keys.publicKey != nodeID {
                throw CLIError("\(flag): the seed is of node \(keys.publicKey), not \(nodeID)", exitCode: ExitStatus.usage)
            }
            return try WorkloadStateSeal(keys: keys)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(flag): \(error)", exitCode: ExitStatus.usage)
        }
    }

    /// Checks for existing ids first (nothing is written when one exists without `overwrite`), then writes.
    private static func write(_ entries: [StoredWorkload], nodeID: String, overwrite: Bool, connection: NatsConnection) async throws -> Int {
        let state: KVWorkloadState
        do {
            state = try await KVWorkloadState.open(connection: connection, nodeID: nodeID)
        } catch {
            throw CLIError("cannot open or create the state bucket \(StateKey.bucket(nodeID: nodeID)): \(CLIError.singleLine("\(error)"))")
        }
        let stored = try await state.storedWorkloadIDs()
        let existing = entries.filter { stored.contains($0.workloadID) }
        if !existing.isEmpty, !overwrite {
            let ids = existing.map(\.workloadID)
            let shown = ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : "")
            throw CLIError("node \(nodeID) already holds \(ids.count) of these workload id\(ids.count == 1 ? "" : "s") (\(shown)); nothing was imported",
                           hint: "use --overwrite to replace them")
        }
        do {
            try await state.replace(entries)
        } catch let error as KVWorkloadState.WriteError {
            throw CLIError("writing workload \(error.workloadID) into \(state.bucket) failed: \(CLIError.singleLine("\(error.underlying)"))")
        }
        return entries.count
    }
}
