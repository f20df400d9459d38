/// Reads keyword values of one schema object, checking their shape against the meta-schema rules
/// and throwing a `SchemaError` that names the keyword when they are wrong.
struct KeywordReader {
    let members: [String: JSONValue]
    let location: SchemaLocation
    let registry: SchemaRegistry

    func error(_ keyword: String, _ reason: String) -> SchemaError {
        error(keyword, .invalidKeyword, reason)
    }

    func error(_ keyword: String, _ kind: SchemaError.Kind, _ reason: String) -> SchemaError {
        SchemaError(kind, at: registry.describe(location.appending(keyword)), reason)
    }

    /// A non-negative integer (`1.0` counts), clamped to `Int.max`.
    func count(_ keyword: String) throws(SchemaError) -> Int? {
        guard let value = members[keyword] else { return nil }
        switch value {
        case .integer(let integer) where integer >= 0:
            return Int(clamping: integer)
        case .number(let number) where number >= 0 && number.rounded(.towardZero) == number:
            return number >= Double(Int.max) ? Int.max : Int(number)
        default:
            throw error(keyword, "\"\(keyword)\" must be a non-negative integer, got \(value.abbreviatedText())")
        }
    }

    /// Any number.
    func number(_ keyword: String) throws(SchemaError) -> JSONValue? {
        guard let value = members[keyword] else { return nil }
        guard value.doubleValue != nil else {
            throw error(keyword, "\"\(keyword)\" must be a number, got \(value.abbreviatedText())")
        }
        return value
    }

    func bool(_ keyword: String) throws(SchemaError) -> Bool? {
        guard let value = members[keyword] else { return nil }
        guard case .bool(let flag) = value else {
            throw error(keyword, "\"\(keyword)\" must be true or false, got \(value.abbreviatedText())")
        }
        return flag
    }

    func string(_ keyword: String) throws(SchemaError) -> String? {
        guard let value = members[keyword] else { return nil }
        guard case .string(let text) = value else {
            throw error(keyword, "\"\(keyword)\" must be a string, got \(value.abbreviatedText())")
        }
        return text
    }

    /// An array of distinct strings (`required`, `dependentRequired` values).
    func stringArray(_ value: JSONValue, keyword: String, describedAs name: String) throws(SchemaError) -> [String] {
        guard case .array(let items) = value else {
            throw error(keyword, "\(name) must be an array of strings, got \(value.abbreviatedText())")
        }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item else {
                throw error(keyword, "\(name) must be an array of strings, but contains \(item.abbreviatedText())")
            }
            guard !strings.contains(text) else {
                throw error(keyword, "\(name) lists \"\(text)\" more than once")
            }
            strings.append(text)
        }
        return strings
    }

    /// `type`: one type name or a non-empty array of distinct names.
    func types() throws(SchemaError) -> [JSONType]? {
        guard let value = members["type"] else { return nil }
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let items) where !items.isEmpty: names = items
        default:
            throw error("type", "\"type\" must be a type name or a non-empty array of type names, got \(value.abbreviatedText())")
        }
        var types: [JSONType] = []
        for name in names {
            guard case .string(let text) = name else {
                throw error("type", "\"type\" must list type names as strings, got \(name.abbreviatedText())")
            }
            guard let type = JSONType(rawValue: text) else {
                let known = JSONType.allCases.map(\.rawValue).joined(separator: ", ")
                throw error("type", .unknownType, "unknown type \"\(text)\"; the types are \(known)")
            }
            guard !types.contains(type) else {
                throw error("type", "\"type\" lists \"\(text)\" more than once")
            }
            types.append(type)
        }
        return types
    }

    /// A regular expression (`pattern`, keys of `patternProperties`).
    func pattern(_ source: String, keyword: String) throws(SchemaError) -> ECMAPattern {
        do {
            return try ECMAPattern(source)
        } catch {
            throw self.error(keyword, .invalidPattern, "invalid regular expression \(JSONValue.string(error.pattern).compactText)")
        }
    }
}
