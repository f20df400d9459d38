import ArgumentParser

/// `nex node …`: run a node, list nodes, inspect one, show its log, put one into lameduck mode.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run and inspect nex nodes.",
        subcommands: [NodeUpCommand.self, NodeLameduckCommand.self, NodeListCommand.self, NodeInfoCommand.self, NodeLogsCommand.self]
    )

    @OptionGroup
    var globals: GlobalOptions
}
