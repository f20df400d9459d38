/// One way an instance fails its schema.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer to the offending value in the instance (`""` is the whole instance).
    public let instanceLocation: String
    /// The schema keyword that failed, such as `type` or `required`.
    public let keyword: String
    /// Where that keyword sits in the schema: `#/properties/argv/items/type` for the schema itself,
    /// `<uri>#/...` inside another referenced document.
    public let schemaLocation: String
    /// What is wrong, in words, without the location (for example `expected string, got integer`).
    public let message: String
    /// For `anyOf`/`oneOf`: the failures of each alternative, in order.
    public let causes: [ValidationError]

    /// The instance location split into reference tokens (used to sort errors).
    let instancePath: [InstancePathToken]

    init(
        path: [InstancePathToken], keyword: String, schemaLocation: String, message: String,
        causes: [ValidationError] = []
    ) {
        self.instancePath = path
        self.instanceLocation = JSONPointer.string(from: path.map(\.text))
        self.keyword = keyword
        self.schemaLocation = schemaLocation
        self.message = message
        self.causes = causes
    }

    /// The instance location as shown to people: the pointer, or `/` for the whole instance.
    public var displayLocation: String {
        instanceLocation.isEmpty ? "/" : instanceLocation
    }

    /// `<location>: <message>`, for example `/argv/0: expected string, got integer`.
    public var description: String {
        "\(displayLocation): \(message)"
    }
}

/// One step of an instance location: an object member or an array element.
enum InstancePathToken: Hashable, Sendable, Comparable {
    case index(Int)
    case key(String)

    var text: String {
        switch self {
        case .index(let index): return String(index)
        case .key(let key): return key
        }
    }
}

extension ValidationError {
    /// The stable order errors are reported in: by instance location (array indices numerically,
    /// parents before children), then by schema location, then by message.
    static func precedes(_ lhs: ValidationError, _ rhs: ValidationError) -> Bool {
        if lhs.instancePath != rhs.instancePath {
            return lhs.instancePath.lexicographicallyPrecedes(rhs.instancePath)
        }
        if lhs.schemaLocation != rhs.schemaLocation {
            return lhs.schemaLocation < rhs.schemaLocation
        }
        return lhs.message < rhs.message
    }
}
