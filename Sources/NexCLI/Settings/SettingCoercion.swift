import Foundation
import JSONSchema
import NexProtocol

/// Why a value does not fit a setting; the caller adds where the value came from.
struct SettingValueError: Error, Sendable {
    let message: String
}

/// Turns a raw value (from a flag, a config file or an environment variable) into the canonical shape of
/// a setting's kind, accepting the spellings the Go CLI's config loader accepts.
enum SettingCoercion {
    static func coerce(_ raw: JSONValue, to kind: SettingKind) throws(SettingValueError) -> JSONValue {
        switch kind {
        case .string:
            return .string(try scalarText(raw, kind: kind))
        case .bool:
            return .bool(try bool(raw))
        case .int:
            return .integer(try integer(raw))
        case .duration:
            return .string(try duration(raw).description)
        case .stringList:
            return .array(try stringList(raw, kind: kind).map(JSONValue.string))
        case .stringMap:
            return .object(try stringMap(raw).mapValues(JSONValue.string))
        case .choice(let choices):
            return .string(try choice(try scalarText(raw, kind: kind), in: choices, kind: kind))
        case .choiceList(let choices):
            let items = try stringList(raw, kind: kind)
            var canonical: [JSONValue] = []
            for item in items {
                canonical.append(.string(try choice(item, in: choices, kind: kind)))
            }
            return .array(canonical)
        case .agents:
            return try agents(raw)
        case .byteSize:
            return .string(try byteSize(raw).description)
        }
    }

    // MARK: Scalars

    /// Strings as they are; numbers and booleans as their JSON text.
    static func scalarText(_ raw: JSONValue, kind: SettingKind) throws(SettingValueError) -> String {
        switch raw {
        case .string(let text): return text
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        default: throw mismatch(raw, kind)
        }
    }

    static func bool(_ raw: JSONValue) throws(SettingValueError) -> Bool {
        switch raw {
        case .bool(let value): return value
        case .integer(let value) where value == 0 || value == 1: return value == 1
        case .string(let text):
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off", "": return false
            default: throw mismatch(raw, .bool)
            }
        default: throw mismatch(raw, .bool)
        }
    }

    static func integer(_ raw: JSONValue) throws(SettingValueError) -> Int64 {
        switch raw {
        case .integer(let value): return value
        case .number(let value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        case .string(let text):
            if let value = Int64(text.trimmingCharacters(in: .whitespaces)) { return value }
            throw mismatch(raw, .int)
        default: throw mismatch(raw, .int)
        }
    }

    /// Go duration text, or a number of nanoseconds (what Go's config loader does with JSON numbers).
    static func duration(_ raw: JSONValue) throws(SettingValueError) -> GoDuration {
        switch raw {
        case .string(let text):
            do {
                return try GoDuration(parsing: text.trimmingCharacters(in: .whitespaces))
            } catch {
                throw SettingValueError(message: "invalid duration \(quoted(text)): \(error); expected \(SettingKind.duration.expectation)")
            }
        case .integer(let nanoseconds):
            return GoDuration(nanoseconds: nanoseconds)
        case .number(let nanoseconds) where abs(nanoseconds) < 9e18:
            return GoDuration(nanoseconds: Int64(nanoseconds))
        default:
            throw mismatch(raw, .duration)
        }
    }

    /// Size text (`64MiB`), or a JSON number of bytes.
    static func byteSize(_ raw: JSONValue) throws(SettingValueError) -> ByteSize {
        switch raw {
        case .string(let text):
            do {
                return try ByteSize(parsing: text)
            } catch {
                throw SettingValueError(message: "\(error.description)")
            }
        case .integer(let bytes) where bytes >= 0:
            return ByteSize(bytes: bytes)
        default:
            throw mismatch(raw, .byteSize)
        }
    }

    // MARK: Collections

    static func stringList(_ raw: JSONValue, kind: SettingKind) throws(SettingValueError) -> [String] {
        switch raw {
        case .string(let text):
            return splitList(text)
        case .array(let items):
            var result: [String] = []
            for item in items {
                switch item {
                // Repeated flags arrive as an array of raw flag texts, each of which may hold a comma list.
                case .string(let text): result += splitList(text)
                default: result.append(try scalarText(item, kind: kind))
                }
            }
            return result
        default:
            throw mismatch(raw, kind)
        }
    }

    /// `a,b , c` → `["a", "b", "c"]` (empty items dropped).
    static func splitList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func stringMap(_ raw: JSONValue) throws(SettingValueError) -> [String: String] {
        switch raw {
        case .object(let members):
            var result: [String: String] = [:]
            for (key, value) in members {
                do {
                    result[key] = try scalarText(value, kind: .string)
                } catch {
                    throw SettingValueError(message: "value of \(quoted(key)) must be a string, got \(describe(value))")
                }
            }
            return result
        case .string(let text):
            return try parsePairs(text)
        case .array(let items):
            var result: [String: String] = [:]
            for item in items {
                guard case .string(let text) = item else { throw mismatch(raw, .stringMap) }
                result.merge(try parsePairs(text)) { _, new in new }
            }
            return result
        default:
            throw mismatch(raw, .stringMap)
        }
    }

    /// `k=v;k2=v2` (the Go CLI's map syntax); values may contain `=`.
    static func parsePairs(_ text: String) throws(SettingValueError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw SettingValueError(message: "expected key=value, got \(quoted(trimmed))")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw SettingValueError(message: "empty key in \(quoted(trimmed))") }
            result[key] = String(trimmed[trimmed.index(after: equals)...])
        }
        return result
    }

    static func choice(_ text: String, in choices: [String], kind: SettingKind) throws(SettingValueError) -> String {
        if let exact = choices.first(where: { $0 == text }) { return exact }
        if let folded = choices.first(where: { $0.lowercased() == text.lowercased() }) { return folded }
        throw SettingValueError(message: "invalid value \(quoted(text)); expected \(kind.expectation)")
    }

    // MARK: Agents

    /// A list of `{uri, argv, env}` objects; keys are matched case-insensitively (as Go's decoder does).
    static func agents(_ raw: JSONValue) throws(SettingValueError) -> JSONValue {
        guard case .array(let items) = raw else { throw mismatch(raw, .agents) }
        var result: [JSONValue] = []
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw SettingValueError(message: "agents[\(index)] must be an object with \"uri\", \"argv\" and \"env\", got \(describe(item))")
            }
            var uri: String?
            var argv: [JSONValue] = []
            var env: [String: JSONValue] = [:]
            for (key, value) in members {
                switch key.lowercased() {
                case "uri":
                    guard case .string(let text) = value, !text.isEmpty else {
                        throw SettingValueError(message: "agents[\(index)].uri must be a non-empty string, got \(describe(value))")
                    }
                    uri = text
                case "argv":
                    if value == .null { continue }
                    guard case .array(let arguments) = value else {
                        throw SettingValueError(message: "agents[\(index)].argv must be a list of strings, got \(describe(value))")
                    }
                    for argument in arguments {
                        guard case .string = argument else {
                            throw SettingValueError(message: "agents[\(index)].argv must be a list of strings, got \(describe(argument)) in it")
                        }
                    }
                    argv = arguments
                case "env":
                    if value == .null { continue }
                    do {
                        env = try stringMap(value).mapValues(JSONValue.string)
                    } catch {
                        throw SettingValueError(message: "agents[\(index)].env: \(error.message)")
                    }
                default:
                    throw SettingValueError(message: "agents[\(index)] has an unknown key \(quoted(key)); use \"uri\", \"argv\" and \"env\"")
                }
            }
            guard let uri else { throw SettingValueError(message: "agents[\(index)] has no \"uri\"") }
            result.append(.object(["uri": .string(uri), "argv": .array(argv), "env": .object(env)]))
        }
        return .array(result)
    }

    // MARK: Messages

    static func mismatch(_ raw: JSONValue, _ kind: SettingKind) -> SettingValueError {
        SettingValueError(message: "expected \(kind.expectation), got \(describe(raw))")
    }

    /// A short description of a value for messages: strings quoted, others by type and text.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .array: return "a list"
        case .object: return "an object"
        case .null: return "null"
        default: return "\(value.typeName) \(value.compactText)"
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
