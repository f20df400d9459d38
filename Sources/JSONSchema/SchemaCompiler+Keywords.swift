extension SchemaCompiler {
    /// Compiles the keywords of an object schema in the given draft.
    mutating func compileKeywords(
        _ members: [String: JSONValue], at location: SchemaLocation, scope: SchemaScope
    ) throws(SchemaError) -> SchemaKeywords {
        let reader = KeywordReader(members: members, location: location, registry: registry)
        let draft = scope.draft
        var keywords = SchemaKeywords()

        if let reference = try reader.string("$ref") {
            keywords.ref = try referencedNode(reference, keyword: "$ref", at: location, scope: scope)
            if draft.refOverridesSiblings { return keywords }
        }
        if draft >= .draft2019_09 {
            let dynamicKeyword = draft == .draft2019_09 ? "$recursiveRef" : "$dynamicRef"
            if let reference = try reader.string(dynamicKeyword) {
                keywords.dynamicRef = try referencedNode(reference, keyword: dynamicKeyword, at: location, scope: scope)
            }
        }

        try compileGeneric(reader, into: &keywords)
        try compileNumeric(reader, draft: draft, into: &keywords)
        try compileString(reader, into: &keywords)
        try compileArray(reader, at: location, scope: scope, into: &keywords)
        try compileObject(reader, at: location, scope: scope, into: &keywords)
        try compileLogic(reader, at: location, scope: scope, into: &keywords)
        for keyword in ["$defs", "definitions"] {
            _ = try subschemaMap(keyword, reader, at: location, scope: scope)
        }
        return keywords
    }

    private mutating func referencedNode(
        _ reference: String, keyword: String, at location: SchemaLocation, scope: SchemaScope
    ) throws(SchemaError) -> NodeID {
        let target = try registry.resolve(reference, from: scope, at: location.appending(keyword))
        return referenced(at: target.location, value: target.value, scope: target.scope)
    }

    private func compileGeneric(_ reader: KeywordReader, into keywords: inout SchemaKeywords) throws(SchemaError) {
        keywords.types = try reader.types()
        if let value = reader.members["enum"] {
            guard case .array(let values) = value else {
                throw reader.error("enum", "\"enum\" must be an array, got \(value.abbreviatedText())")
            }
            keywords.enumValues = values
        }
        keywords.constValue = reader.members["const"]
    }

    private func compileNumeric(_ reader: KeywordReader, draft: Draft, into keywords: inout SchemaKeywords) throws(SchemaError) {
        // Draft-04 spells exclusive bounds as booleans that modify minimum/maximum.
        for (bound, exclusiveKeyword, isLower) in [("minimum", "exclusiveMinimum", true), ("maximum", "exclusiveMaximum", false)] {
            var exclusiveFlag = false
            if draft == .draft4, case .bool(let flag)? = reader.members[exclusiveKeyword] {
                exclusiveFlag = flag
            } else if let limit = try reader.number(exclusiveKeyword) {
                let entry = NumericBound(limit: limit, exclusive: true, keyword: exclusiveKeyword)
                if isLower { keywords.lowerBounds.append(entry) } else { keywords.upperBounds.append(entry) }
            }
            if let limit = try reader.number(bound) {
                let entry = NumericBound(limit: limit, exclusive: exclusiveFlag, keyword: bound)
                if isLower { keywords.lowerBounds.append(entry) } else { keywords.upperBounds.append(entry) }
            }
        }
        if let divisor = try reader.number("multipleOf") {
            guard let value = divisor.doubleValue, value > 0 else {
                throw reader.error("multipleOf", "\"multipleOf\" must be greater than 0, got \(divisor.abbreviatedText())")
            }
            keywords.multipleOf = divisor
        }
    }

    private func compileString(_ reader: KeywordReader, into keywords: inout SchemaKeywords) throws(SchemaError) {
        keywords.minLength = try reader.count("minLength")
        keywords.maxLength = try reader.count("maxLength")
        if let source = try reader.string("pattern") {
            keywords.pattern = try reader.pattern(source, keyword: "pattern")
        }
    }

    private mutating func compileArray(
        _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope, into keywords: inout SchemaKeywords
    ) throws(SchemaError) {
        let draft = scope.draft
        if draft >= .draft2020_12 {
            keywords.prefixItems = try subschemaArray("prefixItems", reader, at: location, scope: scope) ?? []
            if case .array? = reader.members["items"] {
                throw reader.error("items", "\"items\" must be a schema in \(draft); use \"prefixItems\" for a tuple, or declare draft-07 in \"$schema\"")
            }
            keywords.items = try subschema("items", reader, at: location, scope: scope)
        } else if case .array? = reader.members["items"] {
            keywords.prefixItems = try subschemaArray("items", reader, at: location, scope: scope) ?? []
            keywords.prefixItemsKeyword = "items"
            keywords.items = try subschema("additionalItems", reader, at: location, scope: scope)
            keywords.itemsKeyword = "additionalItems"
        } else {
            keywords.items = try subschema("items", reader, at: location, scope: scope)
            _ = try subschema("additionalItems", reader, at: location, scope: scope)
        }
        keywords.minItems = try reader.count("minItems")
        keywords.maxItems = try reader.count("maxItems")
        keywords.uniqueItems = try reader.bool("uniqueItems") ?? false
        if draft >= .draft6 {
            keywords.contains = try subschema("contains", reader, at: location, scope: scope)
        }
        if draft >= .draft2019_09 {
            keywords.minContains = try reader.count("minContains")
            keywords.maxContains = try reader.count("maxContains")
            keywords.unevaluatedItems = try subschema("unevaluatedItems", reader, at: location, scope: scope)
            if keywords.unevaluatedItems != nil { markTracksAnnotations() }
        }
    }

    private mutating func compileObject(
        _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope, into keywords: inout SchemaKeywords
    ) throws(SchemaError) {
        let draft = scope.draft
        keywords.properties = try subschemaMap("properties", reader, at: location, scope: scope) ?? [:]
        if let patterns = try subschemaMap("patternProperties", reader, at: location, scope: scope) {
            for (source, node) in patterns.sorted(by: { $0.key < $1.key }) {
                let pattern = try reader.pattern(source, keyword: "patternProperties")
                keywords.patternProperties.append((pattern, node))
            }
        }
        keywords.additionalProperties = try subschema("additionalProperties", reader, at: location, scope: scope)
        if let value = reader.members["required"] {
            keywords.required = try reader.stringArray(value, keyword: "required", describedAs: "\"required\"")
        }
        keywords.minProperties = try reader.count("minProperties")
        keywords.maxProperties = try reader.count("maxProperties")
        if draft >= .draft6 {
            keywords.propertyNames = try subschema("propertyNames", reader, at: location, scope: scope)
        }
        if draft >= .draft2019_09 {
            try compileDependents(reader, at: location, scope: scope, into: &keywords)
            keywords.unevaluatedProperties = try subschema("unevaluatedProperties", reader, at: location, scope: scope)
            if keywords.unevaluatedProperties != nil { markTracksAnnotations() }
        } else {
            try compileDependencies(reader, at: location, scope: scope, into: &keywords)
        }
    }

    /// 2019-09 and later: `dependentRequired` and `dependentSchemas`.
    private mutating func compileDependents(
        _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope, into keywords: inout SchemaKeywords
    ) throws(SchemaError) {
        if let value = reader.members["dependentRequired"] {
            guard case .object(let entries) = value else {
                throw reader.error("dependentRequired", "\"dependentRequired\" must be an object, got \(value.abbreviatedText())")
            }
            for (property, names) in entries.sorted(by: { $0.key < $1.key }) {
                let required = try reader.stringArray(names, keyword: "dependentRequired", describedAs: "\"dependentRequired\" entry \"\(property)\"")
                keywords.dependentRequired.append((property, required))
            }
        }
        if let schemas = try subschemaMap("dependentSchemas", reader, at: location, scope: scope) {
            keywords.dependentSchemas = schemas.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    /// Draft-07 and older: `dependencies`, whose entries are property lists or schemas.
    private mutating func compileDependencies(
        _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope, into keywords: inout SchemaKeywords
    ) throws(SchemaError) {
        guard let value = reader.members["dependencies"] else { return }
        guard case .object(let entries) = value else {
            throw reader.error("dependencies", "\"dependencies\" must be an object, got \(value.abbreviatedText())")
        }
        for (property, entry) in entries.sorted(by: { $0.key < $1.key }) {
            if case .array = entry {
                let required = try reader.stringArray(entry, keyword: "dependencies", describedAs: "\"dependencies\" entry \"\(property)\"")
                keywords.dependentRequired.append((property, required))
                keywords.dependentRequiredKeyword = "dependencies"
            } else {
                let child = try node(at: location.appending("dependencies", property), value: entry, scope: scope)
                keywords.dependentSchemas.append((property, child))
            }
        }
    }

    private mutating func compileLogic(
        _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope, into keywords: inout SchemaKeywords
    ) throws(SchemaError) {
        keywords.allOf = try subschemaArray("allOf", reader, at: location, scope: scope) ?? []
        keywords.anyOf = try subschemaArray("anyOf", reader, at: location, scope: scope) ?? []
        keywords.oneOf = try subschemaArray("oneOf", reader, at: location, scope: scope) ?? []
        keywords.not = try subschema("not", reader, at: location, scope: scope)
        if scope.draft >= .draft7 {
            keywords.ifSchema = try subschema("if", reader, at: location, scope: scope)
            keywords.thenSchema = try subschema("then", reader, at: location, scope: scope)
            keywords.elseSchema = try subschema("else", reader, at: location, scope: scope)
        }
    }

    // MARK: Subschema helpers

    private mutating func subschema(
        _ keyword: String, _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope
    ) throws(SchemaError) -> NodeID? {
        guard let value = reader.members[keyword] else { return nil }
        return try node(at: location.appending(keyword), value: value, scope: scope)
    }

    private mutating func subschemaArray(
        _ keyword: String, _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope
    ) throws(SchemaError) -> [NodeID]? {
        guard let value = reader.members[keyword] else { return nil }
        guard case .array(let items) = value, !items.isEmpty else {
            throw reader.error(keyword, "\"\(keyword)\" must be a non-empty array of schemas, got \(value.abbreviatedText())")
        }
        var nodes: [NodeID] = []
        for (index, item) in items.enumerated() {
            nodes.append(try node(at: location.appending(keyword, String(index)), value: item, scope: scope))
        }
        return nodes
    }

    private mutating func subschemaMap(
        _ keyword: String, _ reader: KeywordReader, at location: SchemaLocation, scope: SchemaScope
    ) throws(SchemaError) -> [String: NodeID]? {
        guard let value = reader.members[keyword] else { return nil }
        guard case .object(let entries) = value else {
            throw reader.error(keyword, "\"\(keyword)\" must be an object whose values are schemas, got \(value.abbreviatedText())")
        }
        var nodes: [String: NodeID] = [:]
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            nodes[name] = try node(at: location.appending(keyword, name), value: entry, scope: scope)
        }
        return nodes
    }
}
