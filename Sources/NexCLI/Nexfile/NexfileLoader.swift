import Foundation
import JSONSchema
import Yams

/// Reads a Nexfile from a path or stdin (`-`) and parses it as JSON, else as YAML.
enum NexfileLoader {
    /// Loads `path` (`-` = stdin).
    static func load(_ path: String) throws(CLIError) -> Nexfile {
        let source = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError("Nexfile \(path) does not exist", hint: "check the path given to --nexfile (-f)", exitCode: ExitStatus.usage)
            }
            guard !isDirectory.boolValue, let contents = FileManager.default.contents(atPath: path) else {
                throw CLIError("Nexfile \(path) cannot be read", hint: "give --nexfile (-f) a readable file", exitCode: ExitStatus.usage)
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Nexfile.error(source, "not UTF-8 text")
        }
        return try Nexfile(document: parse(text, source: source), source: source)
    }

    /// JSON first (a JSON document is also YAML, but JSON parsing keeps numbers exact); YAML otherwise.
    static func parse(_ text: String, source: String) throws(CLIError) -> JSONValue {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw Nexfile.error(source, "the file is empty")
        }
        if let json = try? JSONValue(parsing: text) { return json }
        do {
            guard let node = try Yams.compose(yaml: text) else { throw Nexfile.error(source, "the file is empty") }
            return try YAMLConversion.value(of: node, source: source)
        } catch let error as CLIError {
            throw error
        } catch {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") && trimmed.hasSuffix("}") {
                throw Nexfile.error(source, "not valid JSON (\(JSONOutput.syntaxError(in: Data(text.utf8))))")
            }
            throw Nexfile.error(source, "not valid YAML (\(CLIError.singleLine("\(error)")))")
        }
    }
}

/// Converts a composed YAML node into JSON, resolving plain scalars as YAML core types.
enum YAMLConversion {
    static func value(of node: Node, source: String) throws(CLIError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for item in sequence { items.append(try value(of: item, source: source)) }
            return .array(items)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, item) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Nexfile.error(source, "mapping keys must be strings (line \(key.mark.map { "\($0.line)" } ?? "?"))")
                }
                members[keyScalar.string] = try value(of: item, source: source)
            }
            return .object(members)
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let node = Node.scalar(scalar)
        switch node.tag.description {
        case Tag.Name.null.rawValue:
            return .null
        case Tag.Name.bool.rawValue:
            return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
        case Tag.Name.int.rawValue:
            return Int64.construct(from: scalar).map(JSONValue.integer) ?? .string(scalar.string)
        case Tag.Name.float.rawValue:
            return Double.construct(from: scalar).map(JSONValue.number) ?? .string(scalar.string)
        default:
            return .string(scalar.string)
        }
    }
}
