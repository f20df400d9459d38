import Foundation

/// Errors raised while encoding or decoding wire JSON.
public enum GoJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required key is absent (Go: `field <key> in <Type>: required`).
    case missingRequiredField(field: String, type: String)
    /// A string enum received a value outside its set (including `""` and `null`).
    case invalidEnumValue(type: String, value: String, allowed: [String])
    /// A value cannot be represented in JSON the way Go would (NaN, infinities, out-of-range years...).
    case unsupportedValue(String)
    /// The document is not valid JSON or a value has the wrong JSON type.
    case malformed(String)

    public var description: String {
        switch self {
        case .missingRequiredField(let field, let type):
            return "field \(field) in \(type): required"
        case .invalidEnumValue(let type, let value, let allowed):
            let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
            return "invalid value for \(type) (expected one of \(list)): \"\(value)\""
        case .unsupportedValue(let reason):
            return "json: unsupported value: \(reason)"
        case .malformed(let reason):
            return "json: \(reason)"
        }
    }

    /// A one-line summary of a Foundation decoding error: what went wrong and where.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let rendered = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return rendered.isEmpty ? "top level" : rendered
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "cannot decode \(type) at \(path(context.codingPath)): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "missing \(type) value at \(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "key \(key.stringValue) not found at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0)" } ?? ""
            return "invalid data at \(path(context.codingPath)): \(context.debugDescription)\(underlying)"
        @unknown default:
            return "\(error)"
        }
    }
}
