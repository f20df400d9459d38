/// The JSON Schema dialects the validator understands. A schema picks one with `$schema`; without
/// it the validator's default applies (2020-12, like the Go reference's validator).
public enum Draft: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case draft4 = 4
    case draft6 = 6
    case draft7 = 7
    case draft2019_09 = 2019
    case draft2020_12 = 2020

    public static func < (lhs: Draft, rhs: Draft) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The draft a `$schema` URI names, or nil when it is not one of the supported meta-schemas.
    /// `http`/`https` and a trailing `#` are not significant.
    public init?(metaSchemaURI: String) {
        var text = metaSchemaURI.lowercased()
        if text.hasSuffix("#") { text.removeLast() }
        if text.hasPrefix("https://") { text = "http://" + text.dropFirst("https://".count) }
        switch text {
        case "http://json-schema.org/draft-04/schema": self = .draft4
        case "http://json-schema.org/draft-06/schema": self = .draft6
        case "http://json-schema.org/draft-07/schema": self = .draft7
        case "http://json-schema.org/draft/2019-09/schema": self = .draft2019_09
        case "http://json-schema.org/draft/2020-12/schema", "http://json-schema.org/schema": self = .draft2020_12
        default: return nil
        }
    }

    /// The usual name, such as `draft-07` or `draft 2020-12`.
    public var description: String {
        switch self {
        case .draft4: return "draft-04"
        case .draft6: return "draft-06"
        case .draft7: return "draft-07"
        case .draft2019_09: return "draft 2019-09"
        case .draft2020_12: return "draft 2020-12"
        }
    }

    /// The keyword that sets a schema's base URI.
    var idKeyword: String { self == .draft4 ? "id" : "$id" }

    /// Before 2019-09, `$ref` makes every sibling keyword ignored.
    var refOverridesSiblings: Bool { self <= .draft7 }
}
