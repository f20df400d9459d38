extension KeywordEvaluation {
    /// `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`.
    mutating func applyLogic() {
        for node in keywords.allOf {
            result.merge(evaluator.evaluate(node, instance, at: path))
        }
        if !keywords.anyOf.isEmpty { applyAnyOf() }
        if !keywords.oneOf.isEmpty { applyOneOf() }
        if let node = keywords.not, evaluator.evaluate(node, instance, at: path).isValid {
            fail("not", "value must not match the schema in \"not\"")
        }
        if let condition = keywords.ifSchema { applyConditional(condition) }
    }

    private mutating func applyAnyOf() {
        var failures: [(index: Int, errors: [ValidationError])] = []
        var matched = false
        for (index, node) in keywords.anyOf.enumerated() {
            let outcome = evaluator.evaluate(node, instance, at: path)
            if outcome.isValid {
                matched = true
                result.absorbAnnotations(of: outcome)
                if !evaluator.tracksAnnotations { return }
            } else {
                failures.append((index, outcome.errors))
            }
        }
        guard !matched else { return }
        fail("anyOf", "value does not match any of the allowed schemas (anyOf): \(Wording.digest(failures, at: instanceLocation))",
             causes: failures.flatMap(\.errors).sorted(by: ValidationError.precedes))
    }

    private mutating func applyOneOf() {
        var failures: [(index: Int, errors: [ValidationError])] = []
        var matches: [(index: Int, outcome: Evaluation)] = []
        for (index, node) in keywords.oneOf.enumerated() {
            let outcome = evaluator.evaluate(node, instance, at: path)
            if outcome.isValid {
                matches.append((index, outcome))
            } else {
                failures.append((index, outcome.errors))
            }
        }
        switch matches.count {
        case 0:
            fail("oneOf", "value does not match any of the schemas in oneOf: \(Wording.digest(failures, at: instanceLocation))",
                 causes: failures.flatMap(\.errors).sorted(by: ValidationError.precedes))
        case 1:
            result.absorbAnnotations(of: matches[0].outcome)
        default:
            let indices = Wording.alternatives(matches.map { String($0.index) }, conjunction: "and")
            fail("oneOf", "value matches \(matches.count) of the schemas in oneOf (\(indices)), but must match exactly one")
        }
    }

    private mutating func applyConditional(_ condition: NodeID) {
        let test = evaluator.evaluate(condition, instance, at: path)
        if test.isValid {
            result.absorbAnnotations(of: test)
            if let node = keywords.thenSchema { result.merge(evaluator.evaluate(node, instance, at: path)) }
        } else if let node = keywords.elseSchema {
            result.merge(evaluator.evaluate(node, instance, at: path))
        }
    }
}
