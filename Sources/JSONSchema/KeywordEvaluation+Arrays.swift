extension KeywordEvaluation {
    mutating func checkArray(_ items: [JSONValue]) {
        let tracks = evaluator.tracksAnnotations
        for (index, node) in keywords.prefixItems.enumerated() where index < items.count {
            result.errors += evaluator.descend(node, items[index], at: path + [.index(index)]).errors
        }
        if tracks { result.evaluatedItemCount = max(result.evaluatedItemCount, min(keywords.prefixItems.count, items.count)) }
        if let node = keywords.items, items.count > keywords.prefixItems.count {
            if evaluator.isFalseSchema(node) {
                let allowed = keywords.prefixItems.count
                fail(keywords.itemsKeyword, "array has \(Wording.count(items.count, "item")), at most \(allowed) allowed")
            } else {
                for index in keywords.prefixItems.count..<items.count {
                    result.errors += evaluator.descend(node, items[index], at: path + [.index(index)]).errors
                }
            }
            if tracks { result.evaluatedItemCount = items.count }
        }
        if let minimum = keywords.minItems, items.count < minimum {
            fail("minItems", "array has \(Wording.count(items.count, "item")), at least \(minimum) required")
        }
        if let maximum = keywords.maxItems, items.count > maximum {
            fail("maxItems", "array has \(Wording.count(items.count, "item")), at most \(maximum) allowed")
        }
        if keywords.uniqueItems { checkUnique(items) }
        if let node = keywords.contains { checkContains(node, items) }
    }

    private mutating func checkUnique(_ items: [JSONValue]) {
        var firstIndex: [JSONValue: Int] = [:]
        for (index, item) in items.enumerated() {
            let key = item.canonical
            if let earlier = firstIndex[key] {
                fail("uniqueItems", "items \(earlier) and \(index) are equal, but items must be unique")
                return
            }
            firstIndex[key] = index
        }
    }

    private mutating func checkContains(_ node: NodeID, _ items: [JSONValue]) {
        var matching: [Int] = []
        for (index, item) in items.enumerated() where evaluator.descend(node, item, at: path + [.index(index)]).isValid {
            matching.append(index)
        }
        if evaluator.tracksAnnotations { result.evaluatedItemIndices.formUnion(matching) }
        let minimum = keywords.minContains ?? 1
        if matching.count < minimum {
            if minimum == 1 {
                fail("contains", "no item matches the \"contains\" schema")
            } else {
                fail("minContains", "\(Wording.count(matching.count, "item")) match the \"contains\" schema, at least \(minimum) required")
            }
        }
        if let maximum = keywords.maxContains, matching.count > maximum {
            fail("maxContains", "\(Wording.count(matching.count, "item")) match the \"contains\" schema, at most \(maximum) allowed")
        }
    }

    mutating func checkUnevaluatedItems(_ items: [JSONValue]) {
        guard let node = keywords.unevaluatedItems else { return }
        let pending = items.indices.filter { !result.isItemEvaluated($0) }
        guard !pending.isEmpty else { return }
        if evaluator.isFalseSchema(node) {
            let listed = pending.prefix(5).map(String.init).joined(separator: ", ") + (pending.count > 5 ? ", …" : "")
            fail("unevaluatedItems", "\(pending.count == 1 ? "item" : "items") at \(listed) \(pending.count == 1 ? "is" : "are") not allowed")
            return
        }
        var allPassed = true
        for index in pending {
            let outcome = evaluator.descend(node, items[index], at: path + [.index(index)])
            allPassed = allPassed && outcome.isValid
            result.errors += outcome.errors
        }
        if allPassed { result.evaluatedItemCount = items.count }
    }
}
