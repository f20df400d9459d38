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

        /// Defaults: an in-memory base URI, no extra resources, draft 2020-12, and depth limits of 256.
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

    let schemas: CompiledSchemas
    let root: NodeID
    let maxInstanceDepth: Int
    /// The draft the root schema is interpreted in.
    public let draft: Draft

    /// Compiles a schema given as a JSON value. Never reads files or the network.
    /// - Throws: `SchemaError` when the schema is invalid or a `$ref` does not resolve.
    public init(value: JSONValue, options: Options = Options()) throws(SchemaError) {
        try self.init(compiling: { value }, options: options, readsFiles: false)
    }

    /// Compiles a schema given as JSON text (UTF-8).
    public init(data: Data, options: Options = Options()) throws(SchemaError) {
        try self.init(compiling: { () throws(SchemaError) in try Self.parse(data) }, options: options, readsFiles: false)
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
        try self.init(compiling: { () throws(SchemaError) in try Self.parse(data) }, options: options, readsFiles: true)
    }

    /// Parses (via `source`) and compiles on a large stack, since both recurse over the schema.
    private init(
        compiling source: @escaping @Sendable () throws(SchemaError) -> JSONValue, options: Options, readsFiles: Bool
    ) throws(SchemaError) {
        let outcome = LargeStack.run { () -> Result<(CompiledSchemas, NodeID, Draft), SchemaError> in
            do throws(SchemaError) {
                return .success(try Self.compile(source(), options: options, readsFiles: readsFiles))
            } catch {
                return .failure(error)
            }
        }
        (schemas, root, draft) = try outcome.get()
        maxInstanceDepth = options.maxInstanceDepth
    }

    private static func compile(
        _ value: JSONValue, options: Options, readsFiles: Bool
    ) throws(SchemaError) -> (CompiledSchemas, NodeID, Draft) {
        let base = URIReference(parsing: options.baseURI)
        var registry = SchemaRegistry(
            supplied: options.resources, base: base, readsFiles: readsFiles,
            defaultDraft: options.defaultDraft, maxDepth: options.maxSchemaDepth
        )
        try registry.add(value, uri: base)
        let rootLocation = SchemaLocation(document: 0, path: [])
        let rootScope = registry.scopes[rootLocation] ?? SchemaScope(base: base, draft: options.defaultDraft)
        var compiler = SchemaCompiler(registry: registry)
        let root = try compiler.compile(at: rootLocation, value: value, scope: rootScope)
        // Every subschema of the document must be valid, even ones no reference reaches.
        for location in compiler.registry.rootDocumentSchemas {
            guard let subschema = JSONPointer.resolve(location.path, in: value) else { continue }
            _ = try compiler.compile(at: location, value: subschema, scope: rootScope)
        }
        return (compiler.output, root, rootScope.draft)
    }

    private static func parse(_ data: Data) throws(SchemaError) -> JSONValue {
        do {
            return try JSONValue(parsing: data)
        } catch {
            throw SchemaError(.invalidJSON, at: "", "the schema is not valid JSON (\(JSONParseFailure.describe(error)))")
        }
    }
}
