/// NATS message headers: an ordered multi-map with case-sensitive names (as nats.go and nats.c treat them).
public struct NatsHeaders: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var fields: [(name: String, values: [String])] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name, value) }
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        get { values(name).first }
        set {
            if let newValue { set(name, newValue) } else { remove(name) }
        }
    }

    /// Every value of `name`, in the order they were added.
    public func values(_ name: String) -> [String] {
        fields.first { $0.name == name }?.values ?? []
    }

    /// Replaces all values of `name` with `value`.
    public mutating func set(_ name: String, _ value: String) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].values = [value]
        } else {
            fields.append((name, [value]))
        }
    }

    /// Adds `value` to the values of `name`.
    public mutating func add(_ name: String, _ value: String) {
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index].values.append(value)
        } else {
            fields.append((name, [value]))
        }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name == name }
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var names: [String] { fields.map(\.name) }

    /// The headers as a plain dictionary (name → values).
    public var dictionary: [String: [String]] {
        Dictionary(fields.map { ($0.name, $0.values) }, uniquingKeysWith: +)
    }

    public func makeIterator() -> some IteratorProtocol<(name: String, values: [String])> {
        fields.makeIterator()
    }

    public static func == (lhs: NatsHeaders, rhs: NatsHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.values == $1.values }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields {
            hasher.combine(field.name)
            hasher.combine(field.values)
        }
    }
}
