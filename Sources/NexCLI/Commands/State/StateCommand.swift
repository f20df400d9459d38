import ArgumentParser

/// `nex state …`: read and move a node's desired workloads (the JetStream KV bucket `nex-<nodeId>` that
/// `node up --state kv` keeps).
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect, export and import a node's stored desired workloads (--state kv).",
        subcommands: [StateListCommand.self, StateExportCommand.self, StateImportCommand.self]
    )

    @OptionGroup
    var globals: GlobalOptions
}
