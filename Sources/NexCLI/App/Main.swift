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
