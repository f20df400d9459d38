/// One value of a document under construction. Containers are reference boxes so that nested containers
/// handed out by the `Encoder` API can be filled after their parent has recorded them.
final class GoJSONNode {
    enum Content {
        case unset
        case string(String)
        case raw(String)  // number, bool or null, already rendered
        case object(GoJSONObjectBox)
        case array(GoJSONArrayBox)
    }

    var content: Content

    init(_ content: Content = .unset) {
        self.content = content
    }
}

/// The keys of an object in insertion order (Go struct order), or sorted on output for Go maps.
final class GoJSONObjectBox {
    private(set) var keys: [String] = []
    private(set) var values: [GoJSONNode] = []
    private var positions: [String: Int] = [:]
    /// Set for dictionaries: Go writes map keys sorted byte-wise.
    var sortKeys = false

    func set(_ key: String, _ node: GoJSONNode) {
        if let position = positions[key] {
            values[position] = node
        } else {
            positions[key] = keys.count
            keys.append(key)
            values.append(node)
        }
    }
}

final class GoJSONArrayBox {
    var items: [GoJSONNode] = []
}

/// Marks the Swift types Go encodes as maps (sorted keys).
protocol GoJSONSortedMap {}
extension Dictionary: GoJSONSortedMap where Key == String {}

/// An `Encoder` that records the document as a tree of ``GoJSONNode``s.
struct GoJSONTreeEncoder: Encoder {
    let node: GoJSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Encodes any value into a fresh node.
    static func node<T: Encodable>(for value: T, codingPath: [any CodingKey]) throws -> GoJSONNode {
        if let scalar = try scalar(value) {
            return GoJSONNode(scalar)
        }
        let node = GoJSONNode()
        try value.encode(to: GoJSONTreeEncoder(node: node, codingPath: codingPath))
        switch node.content {
        case .unset:
            node.content = .object(GoJSONObjectBox())  // a value that wrote nothing: `{}`, as Foundation does
        case .object(let box) where value is any GoJSONSortedMap:
            box.sortKeys = true
        default:
            break
        }
        return node
    }

    /// Strings, booleans and numbers, rendered directly.
    private static func scalar<T>(_ value: T) throws -> GoJSONNode.Content? {
        switch value {
        case let value as String: return .string(value)
        case let value as Bool: return .raw(value ? "true" : "false")
        case let value as Int: return .raw(String(value))
        case let value as Int64: return .raw(String(value))
        case let value as Int32: return .raw(String(value))
        case let value as Int16: return .raw(String(value))
        case let value as Int8: return .raw(String(value))
        case let value as UInt: return .raw(String(value))
        case let value as UInt64: return .raw(String(value))
        case let value as UInt32: return .raw(String(value))
        case let value as UInt16: return .raw(String(value))
        case let value as UInt8: return .raw(String(value))
        case let value as Double: return .raw(try GoJSONNumber.format(value))
        case let value as Float: return .raw(try GoJSONNumber.format(value))
        default: return nil
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: GoJSONObjectBox
        if case .object(let existing) = node.content {
            box = existing
        } else {
            box = GoJSONObjectBox()
            node.content = .object(box)
        }
        return KeyedEncodingContainer(GoJSONKeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: GoJSONArrayBox
        if case .array(let existing) = node.content {
            box = existing
        } else {
            box = GoJSONArrayBox()
            node.content = .array(box)
        }
        return GoJSONUnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        GoJSONSingleValueContainer(node: node, codingPath: codingPath)
    }
}

private struct GoJSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: GoJSONObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) {
        box.set(key.stringValue, GoJSONNode(.raw("null")))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try GoJSONTreeEncoder.node(for: value, codingPath: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        child(forKey: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        child(forKey: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        child(named: "super", path: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        child(forKey: key)
    }

    private func child(forKey key: Key) -> GoJSONTreeEncoder {
        child(named: key.stringValue, path: codingPath + [key])
    }

    private func child(named name: String, path: [any CodingKey]) -> GoJSONTreeEncoder {
        let node = GoJSONNode()
        box.set(name, node)
        return GoJSONTreeEncoder(node: node, codingPath: path)
    }
}

private struct GoJSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: GoJSONArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    private var nextPath: [any CodingKey] { codingPath + [GoKey(index: count)] }

    mutating func encodeNil() {
        box.items.append(GoJSONNode(.raw("null")))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try GoJSONTreeEncoder.node(for: value, codingPath: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        appendChild().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        appendChild().unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        appendChild()
    }

    private func appendChild() -> GoJSONTreeEncoder {
        let node = GoJSONNode()
        let path = nextPath
        box.items.append(node)
        return GoJSONTreeEncoder(node: node, codingPath: path)
    }
}

private struct GoJSONSingleValueContainer: SingleValueEncodingContainer {
    let node: GoJSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() {
        node.content = .raw("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.content = try GoJSONTreeEncoder.node(for: value, codingPath: codingPath).content
    }
}
