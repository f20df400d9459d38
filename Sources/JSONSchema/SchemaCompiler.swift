/// Turns schema documents into `CompiledSchemas`: checks every keyword's shape, compiles patterns
/// and resolves references to node indices. Each location is compiled once, so `$ref` cycles end.
///
/// Subschemas written inside a schema are compiled recursively (bounded by the nesting limit);
/// `$ref` targets are queued instead, so long reference chains cannot deepen the recursion.
struct SchemaCompiler {
    var registry: SchemaRegistry
    private(set) var output = CompiledSchemas()
    private var compiled: [SchemaLocation: NodeID] = [:]
    private var queued: [(id: NodeID, location: SchemaLocation, value: JSONValue, scope: SchemaScope)] = []

    init(registry: SchemaRegistry) {
        self.registry = registry
    }

    /// Compiles the subschema at `location` (whose JSON is `value`) now, plus every reference
    /// target it leads to, and returns its node.
    mutating func compile(at location: SchemaLocation, value: JSONValue, scope: SchemaScope) throws(SchemaError) -> NodeID {
        let id = try node(at: location, value: value, scope: scope)
        while let next = queued.popLast() {
            try build(next.id, at: next.location, value: next.value, scope: next.scope)
        }
        return id
    }

    /// Compiles a subschema written inside the schema being compiled and returns its node.
    mutating func node(at location: SchemaLocation, value: JSONValue, scope fallback: SchemaScope) throws(SchemaError) -> NodeID {
        if let known = compiled[location] { return known }
        let id = reserve(location)
        try build(id, at: location, value: value, scope: fallback)
        return id
    }

    /// The node for a `$ref` target: known already, or reserved now and compiled later.
    mutating func referenced(at location: SchemaLocation, value: JSONValue, scope: SchemaScope) -> NodeID {
        if let known = compiled[location] { return known }
        let id = reserve(location)
        queued.append((id, location, value, scope))
        return id
    }

    private mutating func reserve(_ location: SchemaLocation) -> NodeID {
        let id = output.nodes.count
        let written = location.document == 0 ? "#" + location.pointer : registry.describe(location)
        output.nodes.append(SchemaNode(location: written, body: .constant(true)))
        compiled[location] = id
        return id
    }

    private mutating func build(_ id: NodeID, at location: SchemaLocation, value: JSONValue, scope fallback: SchemaScope) throws(SchemaError) {
        guard location.path.count <= registry.maxDepth else {
            throw SchemaError(.tooDeep, at: registry.describe(location), "schema is nested more than \(registry.maxDepth) levels deep")
        }
        let scope = registry.scopes[location] ?? fallback
        switch value {
        case .bool(let flag):
            output.nodes[id].body = .constant(flag)
        case .object(let members):
            let keywords = try compileKeywords(members, at: location, scope: scope)
            output.nodes[id].body = .keywords(KeywordSet(keywords))
        default:
            throw SchemaError(.notASchema, at: registry.describe(location),
                              "a schema must be an object or a boolean, got \(value.typeName)")
        }
    }

    mutating func markTracksAnnotations() {
        output.tracksAnnotations = true
    }
}
