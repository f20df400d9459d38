import JSONSchema

/// The values typed on the command line, by setting name; options that were not given are left out, so
/// config files and the environment can fill them. Read from a command with ``init(of:settings:unbound:)``.
struct FlagValues: Sendable {
    private(set) var values: [String: JSONValue] = [:]

    init() {}

    /// Records `value` for `setting`; nil (not given) records nothing.
    mutating func add(_ setting: Setting, _ value: JSONValue?) {
        if let value { values[setting.name] = value }
    }

    mutating func merge(_ other: FlagValues) {
        values.merge(other.values) { _, new in new }
    }
}
