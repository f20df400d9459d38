import ArgumentParser

/// `nex node …`: run a node, list nodes, inspect one, put one into lameduck mode.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run and inspect nex nodes.",
        subcommands: [NodeUpCommand.self, NodeLameduckCommand.self, NodeListCommand.self, NodeInfoCommand.self]
    )

    @OptionGroup
    var globals: GlobalOptions
}
