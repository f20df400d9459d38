import Foundation

/// An instance failed validation; thrown by `JSONSchema.check`.
public struct SchemaValidationFailure: Error, Sendable, CustomStringConvertible {
    /// The problems, sorted by instance location (never empty).
    public let errors: [ValidationError]

    public init(errors: [ValidationError]) {
        self.errors = errors
    }

    /// One problem per line, at most `limit` lines, e.g. `/argv/0: expected string, got integer`.
    public func summary(limit: Int = 20) -> String {
        var lines = errors.prefix(limit).map(\.description)
        if errors.count > limit { lines.append("… and \(errors.count - limit) more") }
        return lines.joined(separator: "\n")
    }

    /// The problems joined with `; ` on one line (at most 20).
    public var description: String {
        var parts = errors.prefix(20).map(\.description)
        if errors.count > 20 { parts.append("and \(errors.count - 20) more") }
        return parts.joined(separator: "; ")
    }
}

/// The text given to `validate(data:)` is not JSON.
public struct InstanceParseError: Error, Sendable, CustomStringConvertible {
    /// What the parser objected to.
    public let reason: String
    /// `not valid JSON: <reason>`.
    public var description: String { "not valid JSON: \(reason)" }
}

/// Turns the decoder's errors into short human text.
enum JSONParseFailure {
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        switch decoding {
        case .dataCorrupted(let context):
            if let underlying = context.underlyingError as? NSError,
               let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
                return detail
            }
            return context.debugDescription
        case .typeMismatch, .valueNotFound, .keyNotFound:
            return "unsupported value (numbers must fit in a double; strings must be valid Unicode)"
        @unknown default:
            return String(describing: decoding)
        }
    }
}
