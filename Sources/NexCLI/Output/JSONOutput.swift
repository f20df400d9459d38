import Foundation
import JSONSchema
import NexProtocol

/// JSON rendering for `--json` and `--check`, and readable JSON syntax errors.
enum JSONOutput {
    /// Pretty, key-sorted JSON of a value built by this CLI (not a wire object), two-space indented.
    static func pretty(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: "", into: &output)
        return output
    }

    /// A wire object exactly as Go would write it (compact, Go key order and escaping).
    static func wire<T: Encodable>(_ value: T) throws -> String {
        try GoJSON.encodeString(value)
    }

    /// Where and why `data` is not JSON, e.g. `invalid value at line 3, column 2`.
    static func syntaxError(in data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "not valid JSON"
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
            guard let range = detail.range(of: #"character (\d+)"#, options: .regularExpression),
                  let offset = Int(detail[range].dropFirst("character ".count))
            else { return detail }
            var line = 1
            var column = 1
            for byte in data.prefix(offset) {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            let reason = detail[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                .replacingOccurrences(of: " around", with: "").lowercased()
            return "\(reason.isEmpty ? "syntax error" : reason) at line \(line), column \(column)"
        }
    }

    private static func write(_ value: JSONValue, indent: String, into output: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += inner
                write(item, indent: inner, into: &output)
                output += index == items.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                output += inner + JSONValue.string(key).compactText + ": "
                if let member = members[key] { write(member, indent: inner, into: &output) }
                output += index == keys.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        default:
            output += value.compactText
        }
    }
}
