extension KeywordEvaluation {
    /// `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`.
    mutating func applyLogic() {
        for node in set.keywords.allOf {
            result.merge(evaluator.evaluate(node, instance, at: path))
        }
        if !set.keywords.anyOf.isEmpty { applyAnyOf() }
        if !set.keywords.oneOf.isEmpty { applyOneOf() }
        if let node = set.keywords.not, evaluator.evaluate(node, instance, at: path).isValid {
            reportNotMatched()
        }
        if let condition = set.keywords.ifSchema { applyConditional(condition) }
    }

    private mutating func applyAnyOf() {
        var failures: [(index: Int, errors: [ValidationError])] = []
        var matched = false
        for (index, node) in set.keywords.anyOf.enumerated() {
            let outcome = evaluator.evaluate(node, instance, at: path)
            if outcome.isValid {
                matched = true
                result.absorbAnnotations(of: outcome)
                if !evaluator.tracksAnnotations { return }
            } else {
                failures.append((index, outcome.errors))
            }
        }
        if !matched { reportNoMatch("anyOf", failures) }
    }

    private mutating func applyOneOf() {
        var failures: [(index: Int, errors: [ValidationError])] = []
        var matches: [(index: Int, outcome: Evaluation)] = []
        for (index, node) in set.keywords.oneOf.enumerated() {
            let outcome = evaluator.evaluate(node, instance, at: path)
            if outcome.isValid {
                matches.append((index, outcome))
            } else {
                failures.append((index, outcome.errors))
            }
        }
        switch matches.count {
        case 0: reportNoMatch("oneOf", failures)
        case 1: result.absorbAnnotations(of: matches[0].outcome)
        default: reportSeveralMatches(matches.map(\.index))
        }
    }

    @inline(never)
    private mutating func reportNotMatched() {
        fail("not", "value must not match the schema in \"not\"")
    }

    @inline(never)
    private mutating func reportNoMatch(_ keyword: String, _ failures: [(index: Int, errors: [ValidationError])]) {
        let digest = Wording.digest(failures, at: instanceLocation)
        let message = keyword == "anyOf"
            ? "value does not match any of the allowed schemas (anyOf): \(digest)"
            : "value does not match any of the schemas in oneOf: \(digest)"
        fail(keyword, message, causes: failures.flatMap(\.errors).sorted(by: ValidationError.precedes))
    }

    @inline(never)
    private mutating func reportSeveralMatches(_ indices: [Int]) {
        let listed = Wording.alternatives(indices.map(String.init), conjunction: "and")
        fail("oneOf", "value matches \(indices.count) of the schemas in oneOf (\(listed)), but must match exactly one")
    }

    private mutating func applyConditional(_ condition: NodeID) {
        let test = evaluator.evaluate(condition, instance, at: path)
        if test.isValid {
            result.absorbAnnotations(of: test)
            if let node = set.keywords.thenSchema { result.merge(evaluator.evaluate(node, instance, at: path)) }
        } else if let node = set.keywords.elseSchema {
            result.merge(evaluator.evaluate(node, instance, at: path))
        }
    }
}
