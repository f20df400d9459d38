import Foundation
import JSONSchema

/// Resolves a command's settings: a flag typed on the command line wins, then the last config file that
/// defines the key, then the setting's environment variable, then its default. Every value is checked
/// against the setting's kind; a bad one fails with one line saying where it came from.
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
            do {
                return .init(value: try SettingCoercion.coerce(flag, to: setting.kind), source: .flag)
            } catch {
                throw CLIError("invalid value for \(setting.flag): \(error.message)", exitCode: ExitStatus.usage)
            }
        }
        for file in files.reversed() {
            guard let (key, raw) = file.lookup(setting.name) else { continue }
            do {
                return .init(value: try SettingCoercion.coerce(raw, to: setting.kind), source: .file(file.path))
            } catch {
                throw CLIError("config file \(file.path): key \"\(key)\": \(error.message)", exitCode: ExitStatus.usage)
            }
        }
        if let variable = setting.environment, let text = environment[variable], !text.isEmpty {
            do {
                return .init(value: try SettingCoercion.coerce(.string(text), to: setting.kind), source: .environment(variable))
            } catch {
                throw CLIError("environment variable \(variable): \(error.message)", exitCode: ExitStatus.usage)
            }
        }
        return .init(value: setting.defaultValue, source: .default)
    }
}
