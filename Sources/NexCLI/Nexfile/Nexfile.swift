import Foundation
import JSONSchema
import NexProtocol

/// A workload definition file (Go `models.Nexfile`): `name`, `description`, `tags`, `type`, `lifecycle`
/// and `start_request`, in JSON or YAML. Every key is optional; unknown keys are refused so a typo does not
/// silently drop a value.
struct Nexfile: Sendable, Equatable {
    /// The default file name looked for in the current directory.
    static let defaultName = "Nexfile"
    static let keys = ["name", "description", "tags", "type", "lifecycle", "start_request"]

    var name: String?
    var description: String?
    var tags: [String: String]?
    var type: String?
    var lifecycle: WorkloadLifecycle?
    var startRequest: JSONValue?

    /// Builds a Nexfile from a parsed document; `source` names it in error messages.
    init(document: JSONValue, source: String) throws(CLIError) {
        guard case .object(let members) = document else {
            throw Self.error(source, "expected a mapping with \(Self.keys.joined(separator: ", ")), got \(document.typeName)")
        }
        for key in members.keys.sorted() where !Self.keys.contains(key) {
            throw Self.error(source, "unknown key \"\(key)\" (known keys: \(Self.keys.joined(separator: ", ")))")
        }
        name = try Self.text(members["name"], key: "name", source: source)
        description = try Self.text(members["description"], key: "description", source: source)
        type = try Self.text(members["type"], key: "type", source: source)
        if let lifecycleText = try Self.text(members["lifecycle"], key: "lifecycle", source: source) {
            guard let parsed = WorkloadLifecycle(rawValue: lifecycleText) else {
                let choices = WorkloadLifecycle.allCases.map(\.rawValue).joined(separator: ", ")
                throw Self.error(source, "lifecycle \"\(lifecycleText)\" is not one of \(choices)")
            }
            lifecycle = parsed
        }
        if let rawTags = members["tags"], rawTags != .null {
            guard case .object(let tagMembers) = rawTags else {
                throw Self.error(source, "tags must be a mapping of strings, got \(rawTags.typeName)")
            }
            var parsed: [String: String] = [:]
            for (key, value) in tagMembers {
                guard let text = Self.scalarText(value) else {
                    throw Self.error(source, "tag \"\(key)\" must be a string, got \(value.typeName)")
                }
                parsed[key] = text
            }
            tags = parsed
        }
        if let request = members["start_request"], request != .null {
            startRequest = request
        }
    }

    init() {}

    private static func text(_ value: JSONValue?, key: String, source: String) throws(CLIError) -> String? {
        guard let value, value != .null else { return nil }
        guard let text = scalarText(value) else {
            throw error(source, "\(key) must be a string, got \(value.typeName)")
        }
        return text
    }

    /// Strings, and numbers or booleans written without quotes (YAML `version: 1`).
    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    static func error(_ source: String, _ problem: String) -> CLIError {
        CLIError("Nexfile \(source): \(problem)", hint: nil, exitCode: ExitStatus.usage)
    }
}
