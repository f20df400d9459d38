extension KeywordEvaluation {
    /// Array set.keywords. The recursive parts stay in small frames; messages are built in separate,
    /// never-inlined functions so deep instances do not pay for them on every level.
    mutating func checkArray(_ items: [JSONValue]) {
        applyItems(items)
        checkArrayShape(items)
        if let node = set.keywords.contains { applyContains(node, items) }
    }

    private mutating func applyItems(_ items: [JSONValue]) {
        let prefixCount = set.keywords.prefixItems.count
        for index in 0..<min(prefixCount, items.count) {
            result.errors += evaluator.descend(set.keywords.prefixItems[index], items[index], at: path + [.index(index)]).errors
        }
        if evaluator.tracksAnnotations { result.evaluatedItemCount = max(result.evaluatedItemCount, min(prefixCount, items.count)) }
        guard let node = set.keywords.items, items.count > prefixCount else { return }
        if evaluator.isFalseSchema(node) {
            reportTooManyItems(items.count, allowed: prefixCount)
        } else {
            for index in prefixCount..<items.count {
                result.errors += evaluator.descend(node, items[index], at: path + [.index(index)]).errors
            }
        }
        if evaluator.tracksAnnotations { result.evaluatedItemCount = items.count }
    }

    @inline(never)
    private mutating func reportTooManyItems(_ count: Int, allowed: Int) {
        fail(set.keywords.itemsKeyword, "array has \(Wording.count(count, "item")), at most \(allowed) allowed")
    }

    @inline(never)
    private mutating func checkArrayShape(_ items: [JSONValue]) {
        if let minimum = set.keywords.minItems, items.count < minimum {
            fail("minItems", "array has \(Wording.count(items.count, "item")), at least \(minimum) required")
        }
        if let maximum = set.keywords.maxItems, items.count > maximum {
            fail("maxItems", "array has \(Wording.count(items.count, "item")), at most \(maximum) allowed")
        }
        guard set.keywords.uniqueItems else { return }
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

    private mutating func applyContains(_ node: NodeID, _ items: [JSONValue]) {
        var matching: [Int] = []
        for index in items.indices where evaluator.descend(node, items[index], at: path + [.index(index)]).isValid {
            matching.append(index)
        }
        if evaluator.tracksAnnotations { result.evaluatedItemIndices.formUnion(matching) }
        checkContainsCount(matching.count)
    }

    @inline(never)
    private mutating func checkContainsCount(_ count: Int) {
        let minimum = set.keywords.minContains ?? 1
        if count < minimum {
            if minimum == 1 {
                fail("contains", "no item matches the \"contains\" schema")
            } else {
                fail("minContains", "\(Wording.count(count, "item")) match the \"contains\" schema, at least \(minimum) required")
            }
        }
        if let maximum = set.keywords.maxContains, count > maximum {
            fail("maxContains", "\(Wording.count(count, "item")) match the \"contains\" schema, at most \(maximum) allowed")
        }
    }

    mutating func checkUnevaluatedItems(_ items: [JSONValue]) {
        guard let node = set.keywords.unevaluatedItems else { return }
        let pending = items.indices.filter { !result.isItemEvaluated($0) }
        guard !pending.isEmpty else { return }
        if evaluator.isFalseSchema(node) {
            reportUnevaluatedItems(pending)
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

    @inline(never)
    private mutating func reportUnevaluatedItems(_ pending: [Int]) {
        let listed = pending.prefix(5).map(String.init).joined(separator: ", ") + (pending.count > 5 ? ", …" : "")
        fail("unevaluatedItems", "\(pending.count == 1 ? "item" : "items") at \(listed) \(pending.count == 1 ? "is" : "are") not allowed")
    }
}
