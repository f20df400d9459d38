extension JSONValue {
    /// Equality as JSON Schema defines it (`enum`, `const`, `uniqueItems`): numbers compare by
    /// mathematical value, so `1` equals `1.0`; objects compare regardless of key order.
    public func schemaEquals(_ other: JSONValue) -> Bool {
        canonical == other.canonical
    }

    /// The same value with every integral double that fits in 64 bits rewritten as `.integer`, so
    /// that the synthesized `Hashable` conformance implements `schemaEquals`.
    var canonical: JSONValue {
        switch self {
        case .number(let number):
            if let exact = Int64(exactly: number) { return .integer(exact) }
            return self
        case .array(let items):
            return .array(items.map(\.canonical))
        case .object(let members):
            return .object(members.mapValues(\.canonical))
        default:
            return self
        }
    }

    /// Nesting depth: 0 for scalars, 1 for a flat array or object, and so on. Iterative, so it is
    /// safe to call on any value before recursive processing.
    var nestingDepth: Int {
        var deepest = 0
        var pending: [(JSONValue, Int)] = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            switch value {
            case .array(let items):
                deepest = max(deepest, depth + 1)
                pending.append(contentsOf: items.map { ($0, depth + 1) })
            case .object(let members):
                deepest = max(deepest, depth + 1)
                pending.append(contentsOf: members.values.map { ($0, depth + 1) })
            default:
                break
            }
        }
        return deepest
    }
}
