extension KeywordEvaluation {
    /// Object keywords; as for arrays, messages are built outside the recursive frames.
    mutating func checkObject(_ members: [String: JSONValue]) {
        let names = members.keys.sorted()
        applyProperties(names, members)
        checkObjectShape(members)
        if let node = set.keywords.propertyNames { applyPropertyNames(names, against: node) }
        for (property, node) in set.keywords.dependentSchemas where members[property] != nil {
            result.merge(evaluator.evaluate(node, instance, at: path))
        }
    }

    private mutating func applyProperties(_ names: [String], _ members: [String: JSONValue]) {
        var extras: [String] = []
        for name in names {
            guard let value = members[name] else { continue }
            var matched = false
            if let node = set.keywords.properties[name] {
                matched = true
                result.errors += evaluator.descend(node, value, at: path + [.key(name)]).errors
            }
            for entry in set.keywords.patternProperties where entry.pattern.matches(name) {
                matched = true
                result.errors += evaluator.descend(entry.node, value, at: path + [.key(name)]).errors
            }
            if matched {
                if evaluator.tracksAnnotations { result.evaluatedProperties.insert(name) }
            } else if set.keywords.additionalProperties != nil {
                extras.append(name)
            }
        }
        if let node = set.keywords.additionalProperties {
            applyToExtra(extras, of: members, against: node, keyword: "additionalProperties")
        }
    }

    @inline(never)
    private mutating func checkObjectShape(_ members: [String: JSONValue]) {
        for name in set.keywords.required where members[name] == nil {
            fail("required", "missing required property \(JSONValue.string(name).compactText)")
        }
        if let minimum = set.keywords.minProperties, members.count < minimum {
            fail("minProperties", "object has \(Wording.count(members.count, "property", "properties")), at least \(minimum) required")
        }
        if let maximum = set.keywords.maxProperties, members.count > maximum {
            fail("maxProperties", "object has \(Wording.count(members.count, "property", "properties")), at most \(maximum) allowed")
        }
        for (property, required) in set.keywords.dependentRequired where members[property] != nil {
            for name in required where members[name] == nil {
                fail(set.keywords.dependentRequiredKeyword,
                     "property \(JSONValue.string(property).compactText) requires property \(JSONValue.string(name).compactText), which is missing")
            }
        }
    }

    /// Applies `additionalProperties` or `unevaluatedProperties` to the properties nothing else
    /// covered; a `false` schema gets one message per property, at the object.
    private mutating func applyToExtra(_ extras: [String], of members: [String: JSONValue], against node: NodeID, keyword: String) {
        let forbidden = evaluator.isFalseSchema(node)
        for name in extras {
            guard let value = members[name] else { continue }
            if forbidden {
                reportForbidden(name, keyword: keyword)
                continue
            }
            let outcome = evaluator.descend(node, value, at: path + [.key(name)])
            result.errors += outcome.errors
            if outcome.isValid && evaluator.tracksAnnotations { result.evaluatedProperties.insert(name) }
        }
    }

    @inline(never)
    private mutating func reportForbidden(_ name: String, keyword: String) {
        fail(keyword, "property \(JSONValue.string(name).compactText) is not allowed")
    }

    private mutating func applyPropertyNames(_ names: [String], against node: NodeID) {
        for name in names {
            let outcome = evaluator.descend(node, .string(name), at: path)
            if !outcome.isValid { reportBadName(name, outcome.errors) }
        }
    }

    @inline(never)
    private mutating func reportBadName(_ name: String, _ errors: [ValidationError]) {
        let reasons = errors.sorted(by: ValidationError.precedes).map(\.message).joined(separator: ", ")
        fail("propertyNames", "property name \(JSONValue.string(name).compactText) is not allowed: \(reasons)", causes: errors)
    }

    mutating func checkUnevaluatedProperties(_ members: [String: JSONValue]) {
        guard let node = set.keywords.unevaluatedProperties else { return }
        let pending = members.keys.sorted().filter { !result.evaluatedProperties.contains($0) }
        applyToExtra(pending, of: members, against: node, keyword: "unevaluatedProperties")
    }
}
