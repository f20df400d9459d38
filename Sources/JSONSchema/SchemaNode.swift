/// Index of a compiled schema in `CompiledSchemas.nodes`. References between schemas are indices,
/// which is what lets `$ref` cycles exist without reference cycles in memory.
typealias NodeID = Int

/// Every schema reachable from a root, compiled into a flat table.
struct CompiledSchemas: Sendable {
    var nodes: [SchemaNode] = []
    /// True when some schema uses `unevaluatedProperties`/`unevaluatedItems`, so evaluation has to
    /// track which properties and items were evaluated.
    var tracksAnnotations = false
}

/// One compiled schema.
struct SchemaNode: Sendable {
    /// Absolute location of this schema: `#/properties/uri` in the root document.
    var location: String
    var body: Body

    enum Body: Sendable {
        /// `true` or `false`.
        case constant(Bool)
        case keywords(KeywordSet)
    }
}

/// Compiled keywords behind a reference, so evaluation frames carry a pointer rather than a copy.
final class KeywordSet: Sendable {
    let keywords: SchemaKeywords

    init(_ keywords: SchemaKeywords) {
        self.keywords = keywords
    }
}

/// A type name the `type` keyword accepts.
enum JSONType: String, Sendable, CaseIterable {
    case null, boolean, integer, number, string, array, object

    /// True when `value` has this type; `integer` also accepts numbers with a zero fraction and
    /// `number` accepts integers.
    func admits(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string), (.array, .array), (.object, .object):
            return true
        case (.integer, .integer), (.number, .integer), (.number, .number):
            return true
        case (.integer, .number(let number)):
            return number.isFinite && number.rounded(.towardZero) == number
        default:
            return false
        }
    }
}

/// A numeric bound, kept as written (integer or double) so comparisons stay exact.
struct NumericBound: Sendable {
    var limit: JSONValue
    var exclusive: Bool
    /// The keyword it came from (`minimum`, `exclusiveMinimum`, ...), for error reports.
    var keyword: String
}

/// The assertions and applicators of one object schema. Absent keywords are nil or empty.
struct SchemaKeywords: Sendable {
    // Core
    var ref: NodeID?
    var dynamicRef: NodeID?

    // Any instance
    var types: [JSONType]?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?

    // Numbers
    var lowerBounds: [NumericBound] = []
    var upperBounds: [NumericBound] = []
    var multipleOf: JSONValue?

    // Strings
    var minLength: Int?
    var maxLength: Int?
    var pattern: ECMAPattern?

    // Arrays
    var prefixItems: [NodeID] = []
    /// Applies to the items after `prefixItems` (2020-12 `items`, older `additionalItems`).
    var items: NodeID?
    /// The keyword `items` came from, for error locations: `items` or `additionalItems`.
    var itemsKeyword = "items"
    /// The keyword the tuple came from: `prefixItems` or (older drafts) `items`.
    var prefixItemsKeyword = "prefixItems"
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var contains: NodeID?
    var minContains: Int?
    var maxContains: Int?
    var unevaluatedItems: NodeID?

    // Objects
    var properties: [String: NodeID] = [:]
    var patternProperties: [(pattern: ECMAPattern, node: NodeID)] = []
    var additionalProperties: NodeID?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?
    var propertyNames: NodeID?
    var dependentRequired: [(property: String, required: [String])] = []
    /// `dependentRequired`, or `dependencies` in draft-07 and older.
    var dependentRequiredKeyword = "dependentRequired"
    var dependentSchemas: [(property: String, node: NodeID)] = []
    var unevaluatedProperties: NodeID?

    // Logic
    var allOf: [NodeID] = []
    var anyOf: [NodeID] = []
    var oneOf: [NodeID] = []
    var not: NodeID?
    var ifSchema: NodeID?
    var thenSchema: NodeID?
    var elseSchema: NodeID?
}
