/// The outcome of applying one schema to one instance location: the errors, and (when the schema
/// set uses `unevaluated*`) which properties and items were evaluated successfully.
struct Evaluation {
    var errors: [ValidationError] = []
    var evaluatedProperties: Set<String> = []
    var evaluatedItemCount = 0
    var evaluatedItemIndices: Set<Int> = []

    var isValid: Bool { errors.isEmpty }

    /// Takes over the annotations of a successful subschema evaluation.
    mutating func absorbAnnotations(of other: Evaluation) {
        evaluatedProperties.formUnion(other.evaluatedProperties)
        evaluatedItemCount = max(evaluatedItemCount, other.evaluatedItemCount)
        evaluatedItemIndices.formUnion(other.evaluatedItemIndices)
    }

    /// Adds a subschema's errors, or its annotations when it passed.
    mutating func merge(_ other: Evaluation) {
        if other.isValid {
            absorbAnnotations(of: other)
        } else {
            errors.append(contentsOf: other.errors)
        }
    }

    func isItemEvaluated(_ index: Int) -> Bool {
        index < evaluatedItemCount || evaluatedItemIndices.contains(index)
    }
}
