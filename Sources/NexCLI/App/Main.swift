import ArgumentParser
import Foundation
import NATSKit
import NexProtocol

/// The entry point: parse, run, and turn every failure into one line on stderr and a non-zero exit.
@main
enum NexMain {
    static func main() async {
        exit(await run(Array(CommandLine.arguments.dropFirst())))
    }

    static func run(_ arguments: [String]) async -> Int32 {
        var command: any ParsableCommand
        do {
            command = try Nex.parseAsRoot(arguments)
        } catch {
            return reportParseError(error, arguments: arguments)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return ExitStatus.success
        } catch let error as CLIError {
            Console.err("error: \(error)")
            return error.exitCode
        } catch let error as ExitCode {
            return error.rawValue
        } catch let error as NexError {
            Console.err("error: \(CLIError.singleLine(error.description))")
            return ExitStatus.failure
        } catch {
            if Nex.exitCode(for: error) == .success { Nex.exit(withError: error) }
            Console.err("error: \(CLIError.singleLine("\(error)"))")
            return ExitStatus.failure
        }
    }

    /// Help, version and completion requests print as usual; real parse errors become one line naming the
    /// problem and where to look for help.
    private static func reportParseError(_ error: any Error, arguments: [String]) -> Int32 {
        if Nex.exitCode(for: error) == .success { Nex.exit(withError: error) }
        let path = CommandPath(arguments)
        if let unknown = path.unknownSubcommand {
            let known = path.subcommandNames.joined(separator: ", ")
            Console.err("error: unknown command \"\(unknown)\" for \"\(path.name)\" (available: \(known)); see \"\(path.name) --help\"")
            return ExitStatus.usage
        }
        var message = Nex.message(for: error)
            .split(whereSeparator: \.isNewline)
            .first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
            .map(String.init) ?? "invalid command line"
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        Console.err("error: \(message); see \"\(path.name) --help\"")
        return ExitStatus.usage
    }
}

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
            names.append(match._commandName)
        }
    }

    /// `nex node up`.
    var name: String { names.joined(separator: " ") }

    /// The names of the deepest command's subcommands.
    var subcommandNames: [String] {
        (commands.last?.configuration.subcommands ?? []).map { $0._commandName }
    }

    private static func names(of command: any ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }
}
