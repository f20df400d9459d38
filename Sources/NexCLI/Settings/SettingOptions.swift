import ArgumentParser
import JSONSchema

// The command-line side of a ``Setting``: `@Option(NodeUpSettings.auctionTTL) var auctionTTL: String?` takes the
// option's names and help (with its default) from the declaration, and ``FlagValues/init(of:settings:unbound:)``
// reads the parsed values back by property name, so a setting is declared once and bound once.

extension Option {
    /// A single-value option of `setting`, nil when not given.
    init<T: ExpressibleByArgument>(_ setting: Setting) where Value == T? {
        self.init(name: setting.names, help: setting.help)
    }

    /// A single-value option of `setting` whose value may start with `-` (`--tail -1` reaches the setting's rule
    /// and gets its error, instead of argument-parser's "missing value").
    init<T: ExpressibleByArgument>(unconditional setting: Setting) where Value == T? {
        self.init(name: setting.names, parsing: .unconditional, help: setting.help)
    }

    /// A repeatable option of `setting`, empty when not given.
    init<T: ExpressibleByArgument>(wrappedValue: [T], _ setting: Setting) where Value == [T] {
        self.init(wrappedValue: wrappedValue, name: setting.names, help: setting.help)
    }
}

extension Flag where Value == Bool? {
    /// `--x` / `--no-x` of a boolean `setting`, nil when neither was given.
    init(_ setting: Setting) {
        self.init(name: setting.names, inversion: .prefixedNo, help: setting.help)
    }
}

/// A parsed option or flag whose value can feed a setting.
protocol SettingInput {
    /// The typed value, nil when it was not given on the command line.
    var settingInput: JSONValue? { get }
}

/// An `@OptionGroup`, whose members are bound too.
protocol SettingInputGroup {
    var settingInputs: Any { get }
}

extension Option: SettingInput {
    var settingInput: JSONValue? { FlagValues.json(wrappedValue) }
}

extension Flag: SettingInput {
    var settingInput: JSONValue? { FlagValues.json(wrappedValue) }
}

extension OptionGroup: SettingInputGroup {
    var settingInputs: Any { wrappedValue }
}

extension FlagValues {
    /// The values typed for `settings`, read from the `@Option`s and `@Flag`s of `command` (and of its option
    /// groups) by property name: a property binds the setting whose name, without dashes and case, is the
    /// property's (`agentRestartLimit` ↔ `agent-restart-limit`) or the group's and the property's
    /// (`nats.credsFile` ↔ `nats.creds-file`). An option that binds no setting and is not in `unbound` is a
    /// programming error, reported (not ignored) so that a flag cannot silently do nothing.
    init(of command: Any, settings: [Setting], unbound: Set<String> = []) throws(CLIError) {
        self.init()
        var index: [String: Setting] = [:]
        for setting in settings { index[Self.folded(setting.name)] = setting }
        try collect(command, group: nil, index: index, unbound: unbound.union(GlobalOptions.unbound))
    }

    private mutating func collect(_ value: Any, group: String?, index: [String: Setting], unbound: Set<String>) throws(CLIError) {
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let property = label.hasPrefix("_") ? String(label.dropFirst()) : label
            if let nested = child.value as? any SettingInputGroup {
                // The global options are read once, by ``CommandContext``, not by every command.
                if nested.settingInputs is GlobalOptions { continue }
                try collect(nested.settingInputs, group: property, index: index, unbound: unbound)
                continue
            }
            guard let input = child.value as? any SettingInput else { continue }
            let qualified = group.map { Self.folded("\($0).\(property)") }
            guard let setting = qualified.flatMap({ index[$0] }) ?? index[Self.folded(property)] else {
                if unbound.contains(property) { continue }
                throw CLIError("internal error: option \(property) is bound to no setting", exitCode: ExitStatus.software)
            }
            add(setting, input.settingInput)
        }
    }

    /// `agent-restart-limit`, `agentRestartLimit` → `agentrestartlimit`.
    private static func folded(_ name: String) -> String {
        name.lowercased().filter { $0 != "-" && $0 != "_" }
    }

    /// A parsed value as a raw setting value: nil for an option not given (nil, or an empty repeatable one).
    static func json(_ value: Any) -> JSONValue? {
        switch value {
        case let text as String: return .string(text)
        case let number as Int: return .integer(Int64(number))
        case let flag as Bool: return .bool(flag)
        case let texts as [String]: return texts.isEmpty ? nil : .array(texts.map(JSONValue.string))
        default: return nil
        }
    }
}
