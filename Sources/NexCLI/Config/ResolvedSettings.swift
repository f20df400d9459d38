import Foundation
import JSONSchema
import NexProtocol

/// The value of every setting of a command after applying flag > config file (last wins) > environment >
/// default, with where each came from. Values are already in their kind's canonical shape (the resolver
/// refuses any other), so a typed accessor finding another shape is a bug in nex: it stops, never substitutes a
/// zero.
struct ResolvedSettings: Sendable {
    struct Entry: Sendable {
        var value: JSONValue
        var source: SettingSource
    }

    let entries: [String: Entry]
    /// The config files that were read, in order.
    let files: [String]

    init(entries: [String: Entry], files: [String]) {
        self.entries = entries
        self.files = files
    }

    func value(_ setting: Setting) -> JSONValue { entries[setting.name]?.value ?? setting.defaultValue }
    func source(_ setting: Setting) -> SettingSource { entries[setting.name]?.source ?? .default }
    /// True when the value was typed on the command line.
    func isFlag(_ setting: Setting) -> Bool { source(setting) == .flag }
    /// True when anything but the default set the value.
    func isSet(_ setting: Setting) -> Bool { source(setting) != .default }

    /// The setting as an error about its value names it: the flag, and where the value came from when that
    /// was not the command line (`--nexus (from /etc/nex/config.json)`, `--nexus (from NEX_NEXUS)`).
    func named(_ setting: Setting) -> String {
        switch source(setting) {
        case .flag, .default: setting.flag
        case let other: "\(setting.flag) (from \(other.label))"
        }
    }

    func string(_ setting: Setting) -> String {
        if case .string(let text) = value(setting) { return text }
        return ""
    }

    /// The string, or nil when it is empty.
    func nonEmpty(_ setting: Setting) -> String? {
        let text = string(setting)
        return text.isEmpty ? nil : text
    }

    func bool(_ setting: Setting) -> Bool {
        if case .bool(let flag) = value(setting) { return flag }
        return false
    }

    /// A tri-state setting: nil when unset.
    func optionalBool(_ setting: Setting) -> Bool? {
        if case .bool(let flag) = value(setting) { return flag }
        return nil
    }

    func int(_ setting: Setting) -> Int {
        guard case .integer(let number) = value(setting) else { preconditionFailure("\(setting.flag) is not an integer setting") }
        return Int(clamping: number)
    }

    func duration(_ setting: Setting) -> GoDuration {
        guard case .string(let text) = value(setting), let duration = try? GoDuration(parsing: text) else {
            preconditionFailure("\(setting.flag) is not a duration setting")
        }
        return duration
    }

    /// An integer setting whose default is null: nil when unset.
    func optionalInt(_ setting: Setting) -> Int? {
        if case .integer(let number) = value(setting) { return Int(clamping: number) }
        return nil
    }

    func size(_ setting: Setting) -> ByteSize {
        guard case .string(let text) = value(setting), let size = try? ByteSize(parsing: text) else {
            preconditionFailure("\(setting.flag) is not a size setting")
        }
        return size
    }

    /// A duration setting whose default is null: nil when unset.
    func optionalDuration(_ setting: Setting) -> GoDuration? {
        guard case .string(let text) = value(setting) else { return nil }
        return try? GoDuration(parsing: text)
    }

    func list(_ setting: Setting) -> [String] {
        guard case .array(let items) = value(setting) else { return [] }
        return items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
    }

    func map(_ setting: Setting) -> [String: String] {
        guard case .object(let members) = value(setting) else { return [:] }
        return members.compactMapValues { if case .string(let text) = $0 { return text } else { return nil } }
    }
}
