/// Why a schema could not be compiled.
///
/// `location` is where the problem is: a JSON pointer into the schema document (`""` is the root)
/// prefixed by the document's URI when the problem is in another referenced document.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, for callers that want to branch on it.
    public enum Kind: String, Sendable, Hashable {
        /// The schema text is not JSON.
        case invalidJSON
        /// A schema (or subschema) is neither an object nor a boolean.
        case notASchema
        /// A keyword has a value of the wrong shape (for example `"minLength": "3"`).
        case invalidKeyword
        /// `type` names something that is not a JSON Schema type.
        case unknownType
        /// `pattern` or a `patternProperties` key is not a valid regular expression.
        case invalidPattern
        /// A `$ref` points at nothing this schema contains or was given.
        case unresolvedReference
        /// `$schema` names a dialect this validator does not implement.
        case unsupportedDraft
        /// The schema nests deeper than the validator allows.
        case tooDeep
        /// A schema file could not be read.
        case unreadable
    }

    /// The kind of problem.
    public let kind: Kind
    /// Where the problem is (see the type's documentation).
    public let location: String
    /// What is wrong, in words.
    public let reason: String

    /// Creates an error of `kind` at `location` (see the type's documentation) explaining `reason`.
    public init(_ kind: Kind, at location: String, _ reason: String) {
        self.kind = kind
        self.location = location
        self.reason = reason
    }

    /// `invalid schema at <location>: <reason>` (`/` stands for the root).
    public var description: String {
        "invalid schema at \(location.isEmpty ? "/" : location): \(reason)"
    }
}
