import JSONSchema

/// One configurable value: its flag name (without dashes, e.g. `nats.servers`), how it is typed, its
/// default and the environment variable that may set it. Flags, config files and the environment all feed
/// the same settings (see ``SettingsResolver``).
struct Setting: Sendable, Hashable {
    /// The long flag name, e.g. `node-seed` or `nats.creds-file`.
    let name: String
    let kind: SettingKind
    /// The value when nothing sets it (already in the kind's shape).
    let defaultValue: JSONValue
    /// The environment variable that can set it, if any.
    let environment: String?
    /// Seeds, passwords and JWTs: `--check` shows whether they are set, not their value.
    let isSecret: Bool

    init(_ name: String, _ kind: SettingKind, default defaultValue: JSONValue, environment: String? = nil, secret: Bool = false) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.environment = environment
        self.isSecret = secret
    }

    /// The flag as typed on the command line.
    var flag: String { "--\(name)" }

    static func == (lhs: Setting, rhs: Setting) -> Bool { lhs.name == rhs.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
