/// Where a (sub)schema sits: which loaded document, and the reference tokens from its root.
struct SchemaLocation: Hashable, Sendable {
    var document: Int
    var path: [String]

    func appending(_ tokens: String...) -> SchemaLocation {
        SchemaLocation(document: document, path: path + tokens)
    }

    var pointer: String { JSONPointer.string(from: path) }
}

/// What is in force at a schema location: the base URI that relative references resolve against,
/// and the draft that decides what keywords mean.
struct SchemaScope: Sendable {
    var base: URIReference
    var draft: Draft
}

/// Keywords whose values are subschemas, by shape. Used to walk documents.
enum SubschemaKeywords {
    /// Keywords holding one schema.
    static let single = [
        "additionalProperties", "additionalItems", "not", "if", "then", "else", "propertyNames", "contains",
        "unevaluatedItems", "unevaluatedProperties", "items",
    ]
    /// Keywords holding an array of schemas.
    static let array = ["allOf", "anyOf", "oneOf", "prefixItems", "items"]
    /// Keywords holding an object whose values are schemas.
    static let map = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"]

    /// Whether `keyword` holds subschemas in `draft` (elsewhere it is an unknown keyword, and
    /// its value is not a schema). `$defs` and `definitions` count in every draft, since
    /// references into either are common.
    static func applies(_ keyword: String, in draft: Draft) -> Bool {
        switch keyword {
        case "contains", "propertyNames": return draft >= .draft6
        case "if", "then", "else": return draft >= .draft7
        case "dependentSchemas", "unevaluatedItems", "unevaluatedProperties": return draft >= .draft2019_09
        case "dependencies": return draft <= .draft7
        case "prefixItems": return draft >= .draft2020_12
        case "additionalItems": return draft <= .draft2019_09
        default: return true
        }
    }
}
