@testable import JSONSchema

/// A small deterministic generator (SplitMix64), so fuzz failures reproduce from the seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Random JSON documents biased towards the values schemas care about.
struct RandomJSON {
    var generator: SeededGenerator
    /// Property names to prefer, so objects hit the schemas' `properties`.
    var keys: [String]

    init(seed: UInt64, keys: [String]) {
        generator = SeededGenerator(seed: seed)
        self.keys = keys.isEmpty ? ["a"] : keys
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ options: [T]) -> T { options[int(0...(options.count - 1))] }

    mutating func value(depth: Int = 0, maxDepth: Int = 5) -> JSONValue {
        let leafOnly = depth >= maxDepth
        switch int(0...(leafOnly ? 5 : 8)) {
        case 0: return .null
        case 1: return .bool(chance(50))
        case 2: return .integer(pick([0, 1, -1, 7, 80, 65535, 65536, Int64.max, Int64.min, Int64(int(-1000...1000))]))
        case 3: return .number(pick([0.5, -0.0, 1.0, 1e20, -2.5, 3.14159, 1e-9, .greatestFiniteMagnitude, .leastNonzeroMagnitude]))
        case 4, 5: return .string(string())
        case 6: return .array((0..<int(0...4)).map { _ in value(depth: depth + 1, maxDepth: maxDepth) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<int(0...5) {
                members[chance(80) ? pick(keys) : string()] = value(depth: depth + 1, maxDepth: maxDepth)
            }
            return .object(members)
        }
    }

    mutating func string() -> String {
        pick([
            "", "a", "service", "job", "function", "file:///bin/sleep", "nats://b/k", "2024-01-01T00:00:00Z",
            "💩", "e\u{301}", "\n", "~/", "a/b", "%25", "\u{0}", String(repeating: "x", count: int(0...40)),
        ])
    }

    /// A random object whose keys come from `keys`, for schemas that expect objects.
    mutating func object(maxDepth: Int = 4) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for key in keys where chance(60) {
            members[key] = value(depth: 1, maxDepth: maxDepth)
        }
        return .object(members)
    }
}

extension JSONValue {
    /// All property names under `properties` anywhere in this value.
    var declaredPropertyNames: Set<String> {
        var names: Set<String> = []
        var pending = [self]
        while let next = pending.popLast() {
            switch next {
            case .object(let members):
                if case .object(let properties)? = members["properties"] { names.formUnion(properties.keys) }
                pending.append(contentsOf: members.values)
            case .array(let items):
                pending.append(contentsOf: items)
            default:
                break
            }
        }
        return names
    }
}
