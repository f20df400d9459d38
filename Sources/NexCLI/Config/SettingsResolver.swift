import Foundation
import JSONSchema

/// Resolves a command's settings: a flag typed on the command line wins, then the last config file that
/// defines the key, then the setting's environment variable (``Setting/environment``), then its default. Every value is
/// checked against the setting's kind and rule; a bad one fails with one line saying where it came from.
struct SettingsResolver: Sendable {
    let files: [ConfigFile]
    let environment: [String: String]

    init(files: [ConfigFile], environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.files = files
        self.environment = environment
    }

    /// `flags` maps setting names to the raw values typed on the command line (only those given).
    func resolve(_ settings: [Setting], flags: [String: JSONValue]) throws(CLIError) -> ResolvedSettings {
        var entries: [String: ResolvedSettings.Entry] = [:]
        for setting in settings {
            entries[setting.name] = try resolve(setting, flag: flags[setting.name])
        }
        return ResolvedSettings(entries: entries, files: files.map(\.path))
    }

    private func resolve(_ setting: Setting, flag: JSONValue?) throws(CLIError) -> ResolvedSettings.Entry {
        if let flag {
            return try entry(setting, raw: flag, source: .flag, place: "invalid value for \(setting.flag)")
        }
        for file in files.reversed() {
            guard let (key, raw) = file.lookup(setting.name) else { continue }
            return try entry(setting, raw: raw, source: .file(file.path), place: "config file \(file.path): key \"\(key)\"")
        }
        let variable = setting.environment
        if let text = environment[variable], !text.isEmpty {
            return try entry(setting, raw: .string(text), source: .environment(variable), place: "environment variable \(variable)")
        }
        return .init(value: setting.defaultValue, source: .default)
    }

    /// `raw` in the setting's canonical shape, checked against its rule; a bad value fails with one line that
    /// starts with `place` (the flag, the config key and file, or the environment variable). Nothing falls back
    /// to the default.
    private func entry(_ setting: Setting, raw: JSONValue, source: SettingSource, place: String) throws(CLIError) -> ResolvedSettings.Entry {
        do {
            let value = try SettingCoercion.coerce(raw, to: setting.kind)
            try setting.rule?.check(value)
            return .init(value: value, source: source)
        } catch {
            throw CLIError("\(place): \(error.message)", exitCode: ExitStatus.usage)
        }
    }
}
