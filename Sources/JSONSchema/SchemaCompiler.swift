/// Turns schema documents into `CompiledSchemas`: checks every keyword's shape, compiles patterns
/// and resolves references to node indices. Each location is compiled once, so `$ref` cycles end.
struct SchemaCompiler {
    var registry: SchemaRegistry
    private(set) var output = CompiledSchemas()
    private var compiled: [SchemaLocation: NodeID] = [:]

    init(registry: SchemaRegistry) {
        self.registry = registry
    }

    /// Compiles the subschema at `location` (whose JSON is `value`) and returns its node.
    mutating func node(at location: SchemaLocation, value: JSONValue, scope fallback: SchemaScope) throws(SchemaError) -> NodeID {
        if let known = compiled[location] { return known }
        guard location.path.count <= registry.maxDepth else {
            throw SchemaError(.tooDeep, at: registry.describe(location), "schema is nested more than \(registry.maxDepth) levels deep")
        }
        let id = output.nodes.count
        let written = location.document == 0 ? "#" + location.pointer : registry.describe(location)
        output.nodes.append(SchemaNode(location: written, body: .constant(true)))
        compiled[location] = id
        let scope = registry.scopes[location] ?? fallback
        switch value {
        case .bool(let flag):
            output.nodes[id].body = .constant(flag)
        case .object(let members):
            let keywords = try compileKeywords(members, at: location, scope: scope)
            output.nodes[id].body = .keywords(keywords)
        default:
            throw SchemaError(.notASchema, at: registry.describe(location),
                              "a schema must be an object or a boolean, got \(value.typeName)")
        }
        return id
    }

    mutating func markTracksAnnotations() {
        output.tracksAnnotations = true
    }
}
