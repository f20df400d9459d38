import ArgumentParser
import NexNodeHTTP
import JSONSchema
import NexProtocol

/// One configurable value, declared once: its flag name (without dashes, e.g. `nats.servers`), how it is typed,
/// its default, its help text and the rule its value must follow. Everything else is derived from it: the
/// command-line option (``Option/init(_:)``, ``Flag/init(_:)``), the config-file keys (``ConfigFile``), the
/// environment variable (``environment``), the default shown in the help and `--check`'s source. Flags, config
/// files and the environment all feed the same settings (see ``SettingsResolver``).
struct Setting: Sendable, Hashable {
    /// The long flag name, e.g. `node-seed` or `nats.creds-file`.
    let name: String
    let kind: SettingKind
    /// The value when nothing sets it (already in the kind's shape).
    let defaultValue: JSONValue
    /// Seeds, passwords and JWTs: `--check` shows whether they are set, not their value.
    let isSecret: Bool
    /// The help text without the default, which ``help`` adds.
    let summary: String
    /// The placeholder of the value in the help (`<duration>`); nil for booleans and hidden options.
    let valueName: String?
    /// How the default reads in the help when its value says nothing useful (a random name, a per-user path).
    let defaultHelp: String?
    /// A one-letter alias (`-s` for `--nats.servers`).
    let short: Character?
    /// What a value of the right kind must also satisfy.
    let rule: SettingRule?
    /// Kept for old command lines; not shown in the help.
    let isHidden: Bool

    init(
        _ name: String, _ kind: SettingKind, default defaultValue: JSONValue, help summary: String = "",
        value valueName: String? = nil, defaultHelp: String? = nil, short: Character? = nil, rule: SettingRule? = nil,
        secret: Bool = false, hidden: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.isSecret = secret
        self.summary = summary
        self.valueName = valueName
        self.defaultHelp = defaultHelp
        self.short = short
        self.rule = rule
        self.isHidden = hidden
    }

    /// The flag as typed on the command line.
    var flag: String { "--\(name)" }

    /// The environment variable that can set it: `NEX_` and the name in capitals with `-` and `.` as `_`
    /// (`node-seed` → `NEX_NODE_SEED`, `nats.creds-file` → `NEX_NATS_CREDS_FILE`).
    var environment: String {
        "NEX_" + name.uppercased().map { $0 == "-" || $0 == "." ? "_" : String($0) }.joined()
    }

    /// The option's names for argument-parser.
    var names: NameSpecification {
        guard let short else { return [.customLong(name)] }
        return [.customLong(name), .customShort(short)]
    }

    /// The help for argument-parser: the summary and the default, both from this declaration.
    var help: ArgumentHelp {
        if isHidden { return .hidden }
        guard let shown = defaultHelp ?? Self.helpText(of: defaultValue) else { return ArgumentHelp(summary, valueName: valueName) }
        let sentence = summary.hasSuffix(".") ? String(summary.dropLast()) : summary
        return ArgumentHelp("\(sentence) (default \(shown)).", valueName: valueName)
    }

    /// A default worth printing: non-empty strings, numbers, non-empty lists; nil for "", false, [] and null.
    private static func helpText(of value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .integer(let number): return String(number)
        case .array(let items):
            let texts = items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
            return texts.isEmpty ? nil : texts.joined(separator: ",")
        default: return nil
        }
    }

    static func == (lhs: Setting, rhs: Setting) -> Bool { lhs.name == rhs.name }
    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// What a value must satisfy beyond its kind; checked wherever the value comes from, so a bad value names
/// its flag, config key and file, or environment variable.
enum SettingRule: Sendable {
    /// An integer of at least this.
    case atLeast(Int64)
    /// An integer in this range.
    case between(Int64, Int64)
    /// A duration longer than zero.
    case positive
    /// A duration of zero or more.
    case notNegative
    // issue 14: health and metrics
    /// `HOST:PORT` to listen on (``NodeHTTPAddress``), or empty (off).
    case listenAddress

    /// Throws when `value` (in its kind's canonical shape) breaks the rule.
    func check(_ value: JSONValue) throws(SettingValueError) {
        switch self {
        case .atLeast(let minimum):
            if case .integer(let number) = value, number < minimum {
                throw SettingValueError(message: minimum == 0 ? "must not be negative, got \(number)" : "must be at least \(minimum), got \(number)")
            }
        case .between(let low, let high):
            if case .integer(let number) = value, !(low...high).contains(number) {
                throw SettingValueError(message: "must be between \(low) and \(high), got \(number)")
            }
        case .positive:
            if case .string(let text) = value, let duration = try? GoDuration(parsing: text), duration <= .zero {
                throw SettingValueError(message: "must be a positive duration, got \(SettingCoercion.quoted(text))")
            }
        case .notNegative:
            if case .string(let text) = value, let duration = try? GoDuration(parsing: text), duration < .zero {
                throw SettingValueError(message: "must not be negative, got \(SettingCoercion.quoted(text))")
            }
        case .listenAddress:
            if case .string(let text) = value, !text.isEmpty {
                do {
                    _ = try NodeHTTPAddress(parsing: text)
                } catch {
                    throw SettingValueError(message: "\(error), or \"\" to turn it off")
                }
            }
        }
    }
}
