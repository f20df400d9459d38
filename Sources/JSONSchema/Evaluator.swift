/// Applies compiled schemas to an instance. One evaluator serves one `validate` call.
///
/// Evaluation is a pure function of (schema, instance location), so meeting the same schema again at
/// the same location without having moved into the instance is an endless `$ref` loop; the
/// evaluator reports it instead of recursing forever.
final class Evaluator {
    /// Deepest nesting of schema applications; beyond it evaluation stops with an error. Bounds
    /// the stack even for pathological chains of references.
    static let maxNesting = 4096

    let schemas: CompiledSchemas
    /// Schemas being applied at the current instance location, innermost last.
    private var activeHere: [NodeID] = []
    /// Number of `evaluate` calls in progress.
    private var nesting = 0

    init(schemas: CompiledSchemas) {
        self.schemas = schemas
    }

    var tracksAnnotations: Bool { schemas.tracksAnnotations }

    /// Applies `node` to `instance`, which sits at `path`.
    func evaluate(_ node: NodeID, _ instance: JSONValue, at path: [InstancePathToken]) -> Evaluation {
        let location = schemas.nodes[node].location
        if activeHere.contains(node) {
            return Evaluation(errors: [ValidationError(
                path: path, keyword: "$ref", schemaLocation: location,
                message: "the schema at \(location) refers back to itself without descending into the value"
            )])
        }
        if nesting >= Self.maxNesting {
            return Evaluation(errors: [ValidationError(
                path: path, keyword: "$ref", schemaLocation: location,
                message: "schema evaluation nests more than \(Self.maxNesting) levels deep"
            )])
        }
        activeHere.append(node)
        nesting += 1
        defer {
            activeHere.removeLast()
            nesting -= 1
        }
        switch schemas.nodes[node].body {
        case .constant(true):
            return Evaluation()
        case .constant(false):
            return Evaluation(errors: [ValidationError(
                path: path, keyword: "false", schemaLocation: location, message: "no value is allowed here"
            )])
        case .keywords(let set):
            var context = KeywordEvaluation(evaluator: self, set: set, instance: instance, path: path, location: location)
            return context.run()
        }
    }

    /// Applies `node` to a value inside the current instance (a property or an item).
    func descend(_ node: NodeID, _ child: JSONValue, at path: [InstancePathToken]) -> Evaluation {
        let outer = activeHere
        activeHere = []
        defer { activeHere = outer }
        return evaluate(node, child, at: path)
    }

    /// True when `node` is the constant `false` schema (used to word errors better).
    func isFalseSchema(_ node: NodeID) -> Bool {
        if case .constant(false) = schemas.nodes[node].body { return true }
        return false
    }

    func location(of node: NodeID) -> String {
        schemas.nodes[node].location
    }
}
