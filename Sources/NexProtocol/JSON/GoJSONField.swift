import JSONSchema

/// A value that can sit in a field of a ``GoJSONObject``: it knows what Go does with it when the JSON
/// value is `null` and whether Go's `omitempty` would drop it.
public protocol GoJSONField: Codable, Sendable {
    /// The value a JSON `null` decodes to. Go leaves the zero value in place; string enums reject it.
    static func goValueForNull() throws -> Self
    /// True when Go's `omitempty` drops the value (empty string, zero number, false, empty map or slice).
    var goIsEmpty: Bool { get }
}

extension String: GoJSONField {
    public static func goValueForNull() -> String { "" }
    public var goIsEmpty: Bool { isEmpty }
}

extension Bool: GoJSONField {
    public static func goValueForNull() -> Bool { false }
    public var goIsEmpty: Bool { !self }
}

extension Int: GoJSONField {
    public static func goValueForNull() -> Int { 0 }
    public var goIsEmpty: Bool { self == 0 }
}

extension Int64: GoJSONField {
    public static func goValueForNull() -> Int64 { 0 }
    public var goIsEmpty: Bool { self == 0 }
}

extension Double: GoJSONField {
    public static func goValueForNull() -> Double { 0 }
    public var goIsEmpty: Bool { self == 0 }
}

extension Optional: GoJSONField where Wrapped: GoJSONField {
    public static func goValueForNull() -> Wrapped? { nil }
    public var goIsEmpty: Bool { self?.goIsEmpty ?? true }
}

extension Array: GoJSONField where Element: GoJSONField {
    public static func goValueForNull() -> [Element] { [] }
    public var goIsEmpty: Bool { isEmpty }
}

extension Dictionary: GoJSONField where Key == String, Value: GoJSONField {
    public static func goValueForNull() -> [String: Value] { [:] }
    public var goIsEmpty: Bool { isEmpty }
}

extension JSONValue: GoJSONField {
    public static func goValueForNull() -> JSONValue { .null }
    public var goIsEmpty: Bool {
        switch self {
        case .null: return true
        case .bool(let value): return !value
        case .integer(let value): return value == 0
        case .number(let value): return value == 0
        case .string(let value): return value.isEmpty
        case .array(let value): return value.isEmpty
        case .object(let value): return value.isEmpty
        }
    }
}
