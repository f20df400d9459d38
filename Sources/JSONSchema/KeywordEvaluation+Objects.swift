extension KeywordEvaluation {
    mutating func checkObject(_ members: [String: JSONValue]) {
        let tracks = evaluator.tracksAnnotations
        let names = members.keys.sorted()
        var extras: [String] = []
        for name in names {
            guard let value = members[name] else { continue }
            var matched = false
            if let node = keywords.properties[name] {
                matched = true
                result.errors += evaluator.descend(node, value, at: path + [.key(name)]).errors
            }
            for (pattern, node) in keywords.patternProperties where pattern.matches(name) {
                matched = true
                result.errors += evaluator.descend(node, value, at: path + [.key(name)]).errors
            }
            if matched {
                if tracks { result.evaluatedProperties.insert(name) }
            } else if keywords.additionalProperties != nil {
                extras.append(name)
            }
        }
        if let node = keywords.additionalProperties {
            checkExtra(extras, of: members, against: node, keyword: "additionalProperties")
        }
        for name in keywords.required where members[name] == nil {
            fail("required", "missing required property \(JSONValue.string(name).compactText)")
        }
        if let minimum = keywords.minProperties, members.count < minimum {
            fail("minProperties", "object has \(Wording.count(members.count, "property", "properties")), at least \(minimum) required")
        }
        if let maximum = keywords.maxProperties, members.count > maximum {
            fail("maxProperties", "object has \(Wording.count(members.count, "property", "properties")), at most \(maximum) allowed")
        }
        if let node = keywords.propertyNames { checkPropertyNames(names, against: node) }
        for (property, required) in keywords.dependentRequired where members[property] != nil {
            for name in required where members[name] == nil {
                fail(keywords.dependentRequiredKeyword, "property \(JSONValue.string(property).compactText) requires property \(JSONValue.string(name).compactText), which is missing")
            }
        }
        for (property, node) in keywords.dependentSchemas where members[property] != nil {
            result.merge(evaluator.evaluate(node, instance, at: path))
        }
    }

    /// Applies `additionalProperties` or `unevaluatedProperties` to the properties nothing else
    /// covered; a `false` schema gets one message per property, at the object.
    private mutating func checkExtra(_ extras: [String], of members: [String: JSONValue], against node: NodeID, keyword: String) {
        for name in extras {
            guard let value = members[name] else { continue }
            if evaluator.isFalseSchema(node) {
                fail(keyword, "property \(JSONValue.string(name).compactText) is not allowed")
                continue
            }
            let outcome = evaluator.descend(node, value, at: path + [.key(name)])
            result.errors += outcome.errors
            if outcome.isValid && evaluator.tracksAnnotations { result.evaluatedProperties.insert(name) }
        }
    }

    private mutating func checkPropertyNames(_ names: [String], against node: NodeID) {
        for name in names {
            let outcome = evaluator.descend(node, .string(name), at: path)
            guard !outcome.isValid else { continue }
            let reasons = outcome.errors.sorted(by: ValidationError.precedes).map(\.message).joined(separator: ", ")
            fail("propertyNames", "property name \(JSONValue.string(name).compactText) is not allowed: \(reasons)", causes: outcome.errors)
        }
    }

    mutating func checkUnevaluatedProperties(_ members: [String: JSONValue]) {
        guard let node = keywords.unevaluatedProperties else { return }
        let pending = members.keys.sorted().filter { !result.evaluatedProperties.contains($0) }
        checkExtra(pending, of: members, against: node, keyword: "unevaluatedProperties")
    }
}
