import Foundation
import JSONSchema
import NATSSubjects
import NexProtocol

/// What a command works with after the command line, the config files and the environment have been
/// resolved: its settings and how to print. Commands call ``make(globals:settings:flags:)`` first; it
/// returns nil after printing `--check`'s report.
struct CommandContext: Sendable {
    let settings: ResolvedSettings
    var json: Bool { settings.bool(GlobalSettings.json) }
    var namespace: String { settings.string(GlobalSettings.namespace) }

    /// Resolves `settings` (the command's own, added to the global ones) with `flags` (the command's own
    /// typed values). With `--check`, prints the report and returns nil. `extraCheck` adds computed entries
    /// to the report.
    static func make(
        globals: GlobalOptions, settings: [Setting], flags: FlagValues, extraCheck: [String: JSONValue] = [:]
    ) throws(CLIError) -> CommandContext? {
        let files = try ConfigSearch.load(explicit: globals.config)
        var typed = try globals.flagValues
        typed.merge(flags)
        let definitions = GlobalSettings.all + settings
        let resolved = try SettingsResolver(files: files).resolve(definitions, flags: typed.values)
        if globals.check {
            Console.out(JSONOutput.pretty(CheckReport.make(definitions, resolved: resolved, extra: extraCheck)))
            return nil
        }
        let context = CommandContext(settings: resolved)
        try context.validateNamespace()
        return context
    }

    private func validateNamespace() throws(CLIError) {
        do {
            try SubjectToken.validate(namespace, as: "namespace")
        } catch {
            throw CLIError("invalid namespace \"\(namespace)\": \(error)", hint: "use a single NATS subject token such as \"user\"", exitCode: ExitStatus.usage)
        }
    }

    /// Prints a wire object as JSON (compact, as Go writes it).
    func printWire<T: Encodable>(_ value: T) throws {
        Console.out(try JSONOutput.wire(value))
    }

    /// Prints a JSON value built by the CLI (pretty, sorted keys).
    func printJSON(_ value: JSONValue) {
        Console.out(JSONOutput.pretty(value))
    }
}
