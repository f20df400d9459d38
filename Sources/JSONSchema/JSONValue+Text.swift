import Foundation

extension JSONValue {
    /// Parses a complete JSON document from text.
    public init(parsing text: String) throws {
        try self.init(parsing: Data(text.utf8))
    }

    /// Compact JSON text for this value, with object keys sorted so the output is stable.
    ///
    /// Used in validation messages; numbers print in Swift's shortest round-trip form.
    public var compactText: String {
        var output = ""
        JSONTextWriter.write(self, into: &output)
        return output
    }

    /// `compactText`, cut to at most `limit` characters (an ellipsis marks the cut).
    func abbreviatedText(limit: Int = 60) -> String {
        let text = compactText
        guard text.count > limit else { return text }
        return String(text.prefix(max(limit - 1, 1))) + "…"
    }
}

/// Writes compact JSON text. Recursive: callers only pass values whose depth has been checked.
enum JSONTextWriter {
    static func write(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .number(let number): output += numberText(number)
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                writeString(key, into: &output)
                output += ":"
                if let member = members[key] { write(member, into: &output) }
            }
            output += "}"
        }
    }

    /// A double as JSON text: integral values without a fraction, others in shortest round-trip form.
    static func numberText(_ number: Double) -> String {
        guard number.isFinite else { return number.isNaN ? "NaN" : (number < 0 ? "-Infinity" : "Infinity") }
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return String(describing: number)
    }

    static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                output += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
