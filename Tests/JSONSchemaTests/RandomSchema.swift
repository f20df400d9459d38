@testable import JSONSchema

/// Random, well-formed schemas over the keywords the validator implements. Patterns stay within
/// syntax that Python's `re`, ICU and ECMA-262 read alike, and `multipleOf` uses integers, so the
/// generated schemas can also be cross-checked against Python.
struct RandomSchema {
    var random: RandomJSON

    init(seed: UInt64) {
        random = RandomJSON(seed: seed, keys: ["a", "b", "c", "x-1"])
    }

    mutating func instance() -> JSONValue {
        random.chance(50) ? random.object(maxDepth: 3) : random.value(maxDepth: 3)
    }

    mutating func schema(depth: Int) -> JSONValue {
        if depth > 3 || random.chance(15) { return .bool(random.chance(75)) }
        var members: [String: JSONValue] = [:]
        for _ in 0..<random.int(1...3) {
            let (keyword, value) = keyword(depth: depth)
            members[keyword] = value
        }
        return .object(members)
    }

    private mutating func schemas(depth: Int) -> JSONValue {
        .array((0..<random.int(1...3)).map { _ in schema(depth: depth + 1) })
    }

    private mutating func names() -> JSONValue {
        .array(Array(Set((0..<random.int(0...2)).map { _ in random.pick(random.keys) })).sorted().map { .string($0) })
    }

    private mutating func keyword(depth: Int) -> (String, JSONValue) {
        let types = ["null", "boolean", "integer", "number", "string", "array", "object"]
        switch random.int(0...27) {
        case 0: return ("type", .string(random.pick(types)))
        case 1: return ("type", .array(Array(Set([random.pick(types), random.pick(types)])).sorted().map { .string($0) }))
        case 2: return ("properties", .object(Dictionary(uniqueKeysWithValues: Set((0..<random.int(1...3)).map { _ in random.pick(random.keys) }).map { ($0, schema(depth: depth + 1)) })))
        case 3: return ("additionalProperties", schema(depth: depth + 1))
        case 4: return ("patternProperties", .object([random.pick(["^a", "1$", "b|c", "^x-[0-9]+$"]): schema(depth: depth + 1)]))
        case 5: return ("required", names())
        case 6: return ("items", schema(depth: depth + 1))
        case 7: return ("prefixItems", schemas(depth: depth))
        case 8: return (random.pick(["minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength"]), .integer(Int64(random.int(0...3))))
        case 9: return ("uniqueItems", .bool(random.chance(70)))
        case 10: return ("enum", .array((0..<random.int(1...3)).map { _ in random.value(maxDepth: 1) }))
        case 11: return ("const", random.value(maxDepth: 2))
        case 12: return (random.pick(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]), random.pick([.integer(0), .integer(5), .number(1.5), .integer(-3)]))
        case 13: return ("multipleOf", .integer(Int64(random.int(1...4))))
        case 14: return ("pattern", .string(random.pick(["^a", "e$", "[0-9]", "^$", "s.r", "x{2}", "^(a|b)+$"])))
        case 15: return ("allOf", schemas(depth: depth))
        case 16: return ("anyOf", schemas(depth: depth))
        case 17: return ("oneOf", schemas(depth: depth))
        case 18: return ("not", schema(depth: depth + 1))
        case 19: return ("if", schema(depth: depth + 1))
        case 20: return (random.pick(["then", "else"]), schema(depth: depth + 1))
        case 21: return ("contains", schema(depth: depth + 1))
        case 22: return (random.pick(["minContains", "maxContains"]), .integer(Int64(random.int(0...2))))
        case 23: return ("propertyNames", schema(depth: depth + 1))
        case 24: return ("dependentRequired", .object([random.pick(random.keys): names()]))
        case 25: return ("dependentSchemas", .object([random.pick(random.keys): schema(depth: depth + 1)]))
        case 26: return (random.pick(["unevaluatedProperties", "unevaluatedItems"]), schema(depth: depth + 1))
        default: return ("$ref", .string("#"))
        }
    }
}
