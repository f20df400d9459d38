import Foundation

/// The documents a compilation works on and the identifiers they declare: resources (`$id`),
/// anchors (`$anchor`, draft-07 `#name` ids) and the scope at every subschema.
///
/// Documents other than the root are added on demand when a `$ref` names them: from the resources
/// the caller supplied, or (only when the schema itself was read from a file) from disk.
struct SchemaRegistry {
    struct Document {
        var uri: URIReference
        var value: JSONValue
    }

    private(set) var documents: [Document] = []
    private(set) var scopes: [SchemaLocation: SchemaScope] = [:]
    private var resources: [String: SchemaLocation] = [:]
    private var anchors: [String: SchemaLocation] = [:]
    private let supplied: [String: JSONValue]
    private let readsFiles: Bool
    private let defaultDraft: Draft
    let maxDepth: Int

    init(supplied: [String: JSONValue], base: URIReference, readsFiles: Bool, defaultDraft: Draft, maxDepth: Int) {
        var normalized: [String: JSONValue] = [:]
        for (key, value) in supplied {
            normalized[base.resolving(URIReference(parsing: key)).withoutFragment.description] = value
        }
        self.supplied = normalized
        self.readsFiles = readsFiles
        self.defaultDraft = defaultDraft
        self.maxDepth = maxDepth
    }

    /// Adds a document and indexes everything it declares; returns its index.
    @discardableResult
    mutating func add(_ value: JSONValue, uri: URIReference) throws(SchemaError) -> Int {
        let index = documents.count
        documents.append(Document(uri: uri.withoutFragment, value: value))
        let root = SchemaLocation(document: index, path: [])
        register(resource: uri.withoutFragment, at: root)
        try scan(value, at: root, scope: SchemaScope(base: uri.withoutFragment, draft: defaultDraft))
        return index
    }

    /// How a location is written in messages: a JSON pointer in the root document, `uri#pointer` elsewhere.
    func describe(_ location: SchemaLocation) -> String {
        location.document == 0 ? location.pointer : "\(documents[location.document].uri)#\(location.pointer)"
    }

    /// All locations of subschemas found in the root document.
    var rootDocumentSchemas: [SchemaLocation] {
        scopes.keys.filter { $0.document == 0 }.sorted { $0.path.count < $1.path.count }
    }

    private mutating func register(resource uri: URIReference, at location: SchemaLocation) {
        let key = uri.withoutFragment.description
        if resources[key] == nil { resources[key] = location }
    }

    private mutating func register(anchor name: String, in base: URIReference, at location: SchemaLocation) {
        let key = base.withoutFragment.description + "#" + name
        if anchors[key] == nil { anchors[key] = location }
    }

    // MARK: Scanning

    private mutating func scan(_ value: JSONValue, at location: SchemaLocation, scope inherited: SchemaScope) throws(SchemaError) {
        guard location.path.count <= maxDepth else {
            throw SchemaError(.tooDeep, at: describe(location), "schema is nested more than \(maxDepth) levels deep")
        }
        var scope = inherited
        guard case .object(let members) = value else {
            scopes[location] = scope
            return
        }
        let isResourceRoot = location.path.isEmpty || members["$id"] != nil || members["id"] != nil
        if isResourceRoot, let declared = members["$schema"] {
            guard case .string(let uri) = declared else {
                throw SchemaError(.invalidKeyword, at: describe(location.appending("$schema")), "\"$schema\" must be a string")
            }
            guard let draft = Draft(metaSchemaURI: uri) else {
                throw SchemaError(.unsupportedDraft, at: describe(location.appending("$schema")),
                                  "unsupported meta-schema \"\(uri)\"; supported: draft-04, -06, -07, 2019-09 and 2020-12")
            }
            scope.draft = draft
        }
        let ignoresID = scope.draft.refOverridesSiblings && members["$ref"] != nil
        if !ignoresID, let declared = members[scope.draft.idKeyword] {
            try applyID(declared, at: location, scope: &scope)
        }
        if scope.draft >= .draft2019_09 {
            for keyword in ["$anchor", "$dynamicAnchor"] {
                guard let declared = members[keyword] else { continue }
                guard case .string(let name) = declared, Self.isAnchorName(name) else {
                    throw SchemaError(.invalidKeyword, at: describe(location.appending(keyword)),
                                      "\"\(keyword)\" must be a name of letters, digits, '-', '_', '.' starting with a letter or '_'")
                }
                register(anchor: name, in: scope.base, at: location)
            }
        }
        scopes[location] = scope
        try scanChildren(members, at: location, scope: scope)
    }

    private mutating func applyID(_ declared: JSONValue, at location: SchemaLocation, scope: inout SchemaScope) throws(SchemaError) {
        let keyword = scope.draft.idKeyword
        guard case .string(let text) = declared else {
            throw SchemaError(.invalidKeyword, at: describe(location.appending(keyword)), "\"\(keyword)\" must be a string")
        }
        let reference = URIReference(parsing: text)
        let fragment = reference.fragment ?? ""
        if !fragment.isEmpty && scope.draft >= .draft2019_09 {
            throw SchemaError(.invalidKeyword, at: describe(location.appending(keyword)),
                              "\"$id\" must not contain a fragment; use \"$anchor\" to name a subschema")
        }
        let isAnchorOnly = reference.withoutFragment.description.isEmpty
        if !isAnchorOnly {
            scope.base = scope.base.resolving(reference).withoutFragment
            register(resource: scope.base, at: location)
        }
        if !fragment.isEmpty {
            register(anchor: fragment, in: scope.base, at: location)
        }
    }

    private mutating func scanChildren(_ members: [String: JSONValue], at location: SchemaLocation, scope: SchemaScope) throws(SchemaError) {
        let draft = scope.draft
        for keyword in SubschemaKeywords.single where SubschemaKeywords.applies(keyword, in: draft) {
            guard let child = members[keyword] else { continue }
            if case .array = child { continue }
            try scan(child, at: location.appending(keyword), scope: scope)
        }
        for keyword in SubschemaKeywords.array where SubschemaKeywords.applies(keyword, in: draft) {
            guard case .array(let children)? = members[keyword] else { continue }
            for (index, child) in children.enumerated() {
                try scan(child, at: location.appending(keyword, String(index)), scope: scope)
            }
        }
        for keyword in SubschemaKeywords.map where SubschemaKeywords.applies(keyword, in: draft) {
            guard case .object(let children)? = members[keyword] else { continue }
            for (name, child) in children {
                if keyword == "dependencies", case .array = child { continue }
                try scan(child, at: location.appending(keyword, name), scope: scope)
            }
        }
    }

    private static func isAnchorName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              CharacterSet.letters.contains(first) || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }

    // MARK: Resolving references

    /// The target of a reference written at a location with the given scope.
    struct Target {
        var location: SchemaLocation
        var value: JSONValue
        var scope: SchemaScope
    }

    mutating func resolve(_ text: String, from scope: SchemaScope, at keywordLocation: SchemaLocation) throws(SchemaError) -> Target {
        let resolved = scope.base.resolving(URIReference(parsing: text))
        let resourceURI = resolved.withoutFragment
        let place = describe(keywordLocation)
        let unresolved = { (why: String) -> SchemaError in
            SchemaError(.unresolvedReference, at: place, "cannot resolve \"\(text)\": \(why)")
        }
        guard let resource = try resourceLocation(resourceURI, unresolved: unresolved) else {
            throw unresolved("no schema with URI \(resourceURI) is known")
        }
        let rawFragment = resolved.fragment ?? ""
        guard let fragment = rawFragment.removingPercentEncoding else {
            throw unresolved("invalid percent-encoding in \"#\(rawFragment)\"")
        }
        let target: SchemaLocation
        if fragment.isEmpty {
            target = resource
        } else if fragment.hasPrefix("/") {
            guard let tokens = JSONPointer.tokens(of: fragment) else {
                throw unresolved("\"\(fragment)\" is not a valid JSON pointer")
            }
            target = SchemaLocation(document: resource.document, path: resource.path + tokens)
        } else {
            guard let anchored = anchors[resourceURI.description + "#" + fragment] else {
                throw unresolved("no anchor named \"\(fragment)\"")
            }
            target = anchored
        }
        guard let value = JSONPointer.resolve(target.path, in: documents[target.document].value) else {
            throw unresolved("nothing at \(describe(target))")
        }
        let scope = scopes[target] ?? scopes[resource] ?? SchemaScope(base: resourceURI, draft: defaultDraft)
        return Target(location: target, value: value, scope: scope)
    }

    /// The location of a resource, loading its document first when it is not known yet.
    private mutating func resourceLocation(
        _ uri: URIReference, unresolved: (String) -> SchemaError
    ) throws(SchemaError) -> SchemaLocation? {
        let key = uri.description
        if let known = resources[key] { return known }
        if let value = supplied[key] {
            try add(value, uri: uri)
            return resources[key]
        }
        guard readsFiles, uri.scheme == "file", let path = uri.path.removingPercentEncoding else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw unresolved("cannot read \(path): \(error.localizedDescription)")
        }
        try add(value, uri: uri)
        return resources[key]
    }
}
