import ArgumentParser
import JSONSchema
import NexProtocol

/// `nex state list <node-id>` (alias `ls`): the desired workloads stored in a node's bucket.
struct StateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the desired workloads a node's state bucket holds.", aliases: ["ls"])

    @Argument(help: ArgumentHelp("The node id (N…).", valueName: "node-id"))
    var nodeID: String

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        try NodeID.check(nodeID)
        let nodeID = self.nodeID
        let entries = try await context.withSession { session in
            try await StateBucket.open(nodeID: nodeID, connection: session.connection).entries()
        }
        if context.json {
            var members: [String: JSONValue] = [:]
            for entry in entries {
                members[entry.workloadID] = try JSONValue(parsing: GoJSON.encode(entry.request))
            }
            context.printJSON(.object(members))
            return
        }
        guard !entries.isEmpty else {
            Console.out("No stored workloads for node \(nodeID)")
            return
        }
        var table = Table(title: "Stored Workloads - \(nodeID)", headers: ["ID", "Type", "Namespace", "Name", "Lifecycle"])
        for entry in entries {
            let request = entry.request
            table.append([entry.workloadID, entry.workloadType, request.namespace.isEmpty ? "--" : request.namespace,
                          request.name.isEmpty ? "--" : request.name, request.workloadLifecycle.rawValue])
        }
        Console.out(table.render())
    }
}
