/// A JSON object key, built from any string.
public struct GoKey: CodingKey, Sendable, Hashable {
    public let stringValue: String
    public let intValue: Int?

    public init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    init(index: Int) {
        stringValue = String(index)
        intValue = index
    }

    public init?(stringValue: String) {
        self.init(stringValue)
    }

    public init?(intValue: Int) {
        self.init(index: intValue)
    }
}

/// How a key travels, mirroring the Go struct tag and the generated required-key check.
public enum GoFieldPresence: Sendable, Equatable {
    /// Always emitted; decoding fails when the key is absent (`field <key> in <Type>: required`).
    case required
    /// Always emitted; an absent key leaves the zero value (a Go field without a required check).
    case lenient
    /// Go pointer with `omitempty`: omitted only when nil (an empty string or struct is still sent).
    case omitNil
    /// Go map, slice or string with `omitempty`: omitted when nil or empty.
    case omitEmpty
}

/// One field of a ``GoJSONObject``: its JSON key, its presence rule and how to read and write it.
/// Declared once per type in ``GoJSONObject/goFields``; the Codable conformance is derived from the table.
public struct GoField<Root>: Sendable {
    public let key: String
    public let presence: GoFieldPresence
    let decode: @Sendable (inout Root, KeyedDecodingContainer<GoKey>) throws -> Void
    let encode: @Sendable (Root, inout KeyedEncodingContainer<GoKey>) throws -> Void

    /// A key the Go decoder insists on; `null` decodes as the value type's zero value.
    public static func required<Value: GoJSONField>(
        _ key: String, _ path: WritableKeyPath<Root, Value> & Sendable
    ) -> GoField {
        GoField(key: key, presence: .required, path: path)
    }

    /// A key Go always sends but does not insist on receiving.
    public static func lenient<Value: GoJSONField>(
        _ key: String, _ path: WritableKeyPath<Root, Value> & Sendable
    ) -> GoField {
        GoField(key: key, presence: .lenient, path: path)
    }

    /// An optional pointer-typed key (`*T` with `omitempty`): omitted when nil.
    public static func omitNil<Value: GoJSONField>(
        _ key: String, _ path: WritableKeyPath<Root, Value?> & Sendable
    ) -> GoField {
        GoField(key: key, presence: .omitNil, optionalPath: path)
    }

    /// An optional map/slice key with `omitempty`: omitted when nil or empty.
    public static func omitEmpty<Value: GoJSONField>(
        _ key: String, _ path: WritableKeyPath<Root, Value?> & Sendable
    ) -> GoField {
        GoField(key: key, presence: .omitEmpty, optionalPath: path)
    }

    private init<Value: GoJSONField>(
        key: String, presence: GoFieldPresence, path: WritableKeyPath<Root, Value> & Sendable
    ) {
        let codingKey = GoKey(key)
        self.key = key
        self.presence = presence
        decode = { root, container in
            guard container.contains(codingKey) else { return }
            if try container.decodeNil(forKey: codingKey) {
                root[keyPath: path] = try Value.goValueForNull()
            } else {
                root[keyPath: path] = try container.decode(Value.self, forKey: codingKey)
            }
        }
        encode = { root, container in
            try container.encode(root[keyPath: path], forKey: codingKey)
        }
    }

    private init<Value: GoJSONField>(
        key: String, presence: GoFieldPresence, optionalPath path: WritableKeyPath<Root, Value?> & Sendable
    ) {
        let codingKey = GoKey(key)
        let omitEmpty = presence == .omitEmpty
        self.key = key
        self.presence = presence
        decode = { root, container in
            root[keyPath: path] = try container.decodeIfPresent(Value.self, forKey: codingKey)
        }
        encode = { root, container in
            guard let value = root[keyPath: path], !(omitEmpty && value.goIsEmpty) else { return }
            try container.encode(value, forKey: codingKey)
        }
    }
}
