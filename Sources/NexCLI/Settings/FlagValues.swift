import JSONSchema

/// The values typed on the command line, by setting name; options that were not given are left out, so
/// config files and the environment can fill them.
struct FlagValues: Sendable {
    private(set) var values: [String: JSONValue] = [:]

    init() {}

    mutating func add(_ setting: Setting, _ value: String?) {
        if let value { values[setting.name] = .string(value) }
    }

    mutating func add(_ setting: Setting, _ value: Int?) {
        if let value { values[setting.name] = .integer(Int64(value)) }
    }

    /// A tri-state flag (`--x` / `--no-x`): nil when neither was given.
    mutating func add(_ setting: Setting, _ value: Bool?) {
        if let value { values[setting.name] = .bool(value) }
    }

    /// A repeatable option: nothing when it was not given.
    mutating func add(_ setting: Setting, _ values: [String]) {
        if !values.isEmpty { self.values[setting.name] = .array(values.map(JSONValue.string)) }
    }

    mutating func merge(_ other: FlagValues) {
        values.merge(other.values) { _, new in new }
    }
}
