import ArgumentParser

/// The subcommand path named by a command line (`nex node up`), found by walking the command tree over
/// the words that are not flags.
struct CommandPath {
    private(set) var commands: [any ParsableCommand.Type] = [Nex.self]
    private(set) var names: [String] = ["nex"]
    /// A word where a subcommand was expected but none matched.
    private(set) var unknownSubcommand: String?

    init(_ arguments: [String]) {
        var skipValue = false
        for argument in arguments {
            if skipValue {
                skipValue = false
                continue
            }
            if argument == "--" { break }
            if argument.hasPrefix("-") {
                skipValue = !argument.contains("=") && GlobalOptions.valueOptionNames.contains(argument)
                continue
            }
            guard let current = commands.last else { break }
            let children = current.configuration.subcommands
            guard !children.isEmpty else { break }
            guard let match = children.first(where: { Self.names(of: $0).contains(argument) }) else {
                unknownSubcommand = argument
                break
            }
            commands.append(match)
            names.append(Self.name(of: match))
        }
    }

    /// `nex node up`.
    var name: String { names.joined(separator: " ") }

    /// The names of the deepest command's subcommands.
    var subcommandNames: [String] {
        (commands.last?.configuration.subcommands ?? []).map(Self.name(of:))
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [name(of: command)] + command.configuration.aliases
    }

    /// A command's name as typed. Every nex command names itself in its configuration (argument-parser's
    /// fallback, the type name in kebab case, is not public API), so the type name is only a last resort.
    private static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }
}
