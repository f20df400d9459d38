import Foundation

/// A compiled JSON Schema, ready to validate instances. Immutable and `Sendable`: compile once
/// (for example when a nexlet registers) and validate from any task.
///
/// Supports drafts 04 to 2020-12 as chosen by `$schema` (default 2020-12). `format`, `title`,
/// `description`, `examples`, `default`, the `content*` keywords and unknown keywords are annotations
/// only, as in validators' default configuration.
public struct JSONSchema: Sendable {
    /// Compilation settings.
    public struct Options: Sendable {
        /// Base URI of the schema document, against which its `$id` and relative `$ref`s resolve.
        public var baseURI: String
        /// Other schema documents `$ref` may name, by URI (relative URIs resolve against `baseURI`).
        public var resources: [String: JSONValue]
        /// The draft for documents without `$schema`.
        public var defaultDraft: Draft
        /// Deepest instance nesting `validate` accepts (deeper instances get one error).
        public var maxInstanceDepth: Int
        /// Deepest schema nesting the compiler accepts, in JSON levels.
        public var maxSchemaDepth: Int

        public init(
            baseURI: String = "mem:///schema.json", resources: [String: JSONValue] = [:],
            defaultDraft: Draft = .draft2020_12, maxInstanceDepth: Int = 256, maxSchemaDepth: Int = 256
        ) {
            self.baseURI = baseURI
            self.resources = resources
            self.defaultDraft = defaultDraft
            self.maxInstanceDepth = maxInstanceDepth
            self.maxSchemaDepth = maxSchemaDepth
        }
    }

    private let schemas: CompiledSchemas
    private let root: NodeID
    private let maxInstanceDepth: Int
    /// The draft the root schema is interpreted in.
    public let draft: Draft

    /// Compiles a schema given as a JSON value. Never reads files or the network.
    /// - Throws: `SchemaError` when the schema is invalid or a `$ref` does not resolve.
    public init(value: JSONValue, options: Options = Options()) throws(SchemaError) {
        try self.init(value: value, options: options, readsFiles: false)
    }

    /// Compiles a schema given as JSON text (UTF-8).
    public init(data: Data, options: Options = Options()) throws(SchemaError) {
        try self.init(value: Self.parse(data), options: options)
    }

    /// Compiles a schema given as JSON text.
    public init(string: String, options: Options = Options()) throws(SchemaError) {
        try self.init(data: Data(string.utf8), options: options)
    }

    /// Compiles the schema in a file; relative `$ref`s to other files (such as
    /// `./shared-tag-map.json`) are read from disk as needed.
    public init(contentsOf fileURL: URL, options: Options = Options()) throws(SchemaError) {
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            throw SchemaError(.unreadable, at: "", "cannot read \(fileURL.path): \(error.localizedDescription)")
        }
        var options = options
        options.baseURI = fileURL.absoluteURL.standardizedFileURL.absoluteString
        try self.init(value: Self.parse(data), options: options, readsFiles: true)
    }

    private init(value: JSONValue, options: Options, readsFiles: Bool) throws(SchemaError) {
        let base = URIReference(parsing: options.baseURI)
        var registry = SchemaRegistry(
            supplied: options.resources, base: base, readsFiles: readsFiles,
            defaultDraft: options.defaultDraft, maxDepth: options.maxSchemaDepth
        )
        try registry.add(value, uri: base)
        let rootLocation = SchemaLocation(document: 0, path: [])
        let rootScope = registry.scopes[rootLocation] ?? SchemaScope(base: base, draft: options.defaultDraft)
        var compiler = SchemaCompiler(registry: registry)
        root = try compiler.node(at: rootLocation, value: value, scope: rootScope)
        // Every subschema of the document must be valid, even ones no reference reaches.
        for location in compiler.registry.rootDocumentSchemas {
            guard let subschema = JSONPointer.resolve(location.path, in: value) else { continue }
            _ = try compiler.node(at: location, value: subschema, scope: rootScope)
        }
        schemas = compiler.output
        draft = rootScope.draft
        maxInstanceDepth = options.maxInstanceDepth
    }

    private static func parse(_ data: Data) throws(SchemaError) -> JSONValue {
        do {
            return try JSONValue(parsing: data)
        } catch {
            throw SchemaError(.invalidJSON, at: "", "the schema is not valid JSON (\(JSONParseFailure.describe(error)))")
        }
    }

    /// Every way `instance` fails the schema, sorted by instance location; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        if instance.nestingDepth > maxInstanceDepth {
            return [ValidationError(
                path: [], keyword: "maxDepth", schemaLocation: "#",
                message: "value is nested too deeply (more than \(maxInstanceDepth) levels)"
            )]
        }
        let evaluator = Evaluator(schemas: schemas)
        return evaluator.evaluate(root, instance, at: []).errors.sorted(by: ValidationError.precedes)
    }

    /// Parses JSON text and validates it.
    /// - Throws: `InstanceParseError` when `data` is not JSON.
    public func validate(data: Data) throws(InstanceParseError) -> [ValidationError] {
        do {
            return validate(try JSONValue(parsing: data))
        } catch {
            throw InstanceParseError(reason: JSONParseFailure.describe(error))
        }
    }

    /// True when `instance` satisfies the schema.
    public func isValid(_ instance: JSONValue) -> Bool {
        validate(instance).isEmpty
    }

    /// Throws `SchemaValidationFailure` listing every problem when `instance` is not valid.
    public func check(_ instance: JSONValue) throws(SchemaValidationFailure) {
        let errors = validate(instance)
        if !errors.isEmpty { throw SchemaValidationFailure(errors: errors) }
    }
}
