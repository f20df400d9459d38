import Foundation
import JSONSchema

/// One JSON config file. Keys are shared by all commands (as in the Go CLI): a flag `node-seed` is found as
/// `node_seed`, `nodeSeed` or `node-seed` at the top level, and a dotted flag such as `nats.creds-file` also
/// inside nested objects (`{"nats": {"creds_file": …}}`).
struct ConfigFile: Sendable {
    /// Absolute path, as shown in messages and in `--check`'s `_sources`.
    let path: String
    let root: [String: JSONValue]

    /// Reads and parses `url`. Throws a one-line ``CLIError`` naming the file when it cannot be read or is
    /// not a JSON object.
    static func load(_ url: URL) throws(CLIError) -> ConfigFile {
        let path = url.standardizedFileURL.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CLIError("config file \(path): cannot read it (\(Self.reason(error)))", exitCode: ExitStatus.usage)
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw CLIError("config file \(path): not valid JSON (\(JSONOutput.syntaxError(in: data)))", exitCode: ExitStatus.usage)
        }
        guard case .object(let members) = value else {
            throw CLIError("config file \(path): expected a JSON object at the top level, got \(value.typeName)", exitCode: ExitStatus.usage)
        }
        return ConfigFile(path: path, root: members)
    }

    /// The key under which `flagName` is defined here and its value, or nil. A JSON `null` counts as not set.
    func lookup(_ flagName: String) -> (key: String, value: JSONValue)? {
        for candidate in Self.keyCandidates(flagName) {
            if let value = root[candidate], value != .null { return (candidate, value) }
        }
        guard flagName.contains(".") else { return nil }
        let parts = flagName.split(separator: ".").map(String.init)
        for spelling in [Self.snake, Self.camel, { $0 }] as [@Sendable (String) -> String] {
            var current: JSONValue = .object(root)
            var found = true
            for part in parts {
                guard case .object(let members) = current, let next = members[spelling(part)] else {
                    found = false
                    break
                }
                current = next
            }
            if found && current != .null {
                return (parts.map(spelling).joined(separator: "."), current)
            }
        }
        return nil
    }

    /// Top-level spellings of a flag name: `node_seed`, `nodeSeed`, `node-seed`.
    static func keyCandidates(_ flagName: String) -> [String] {
        var seen: [String] = []
        for candidate in [snake(flagName), camel(flagName), flagName] where !seen.contains(candidate) {
            seen.append(candidate)
        }
        return seen
    }

    static let snake: @Sendable (String) -> String = { $0.replacingOccurrences(of: "-", with: "_") }

    /// `node-seed` → `nodeSeed`; `nats.creds-file` → `nats.credsFile`.
    static let camel: @Sendable (String) -> String = { name in
        var result = ""
        var upperNext = false
        for character in name {
            if character == "-" || character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
