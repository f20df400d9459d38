/// The type of a setting's value, which decides how flags, config-file values and environment variables
/// are read. Every resolved value is kept as a `JSONValue` of a fixed shape per kind.
enum SettingKind: Sendable, Equatable {
    /// `.string`.
    case string
    /// `.bool`.
    case bool
    /// `.integer`.
    case int
    /// A Go duration, kept as its normalised text (`.string("1m0s")`).
    case duration
    // issue 14: node capacity, log history
    /// A ``ByteSize`` (`512MiB`, `2GiB`, `500MB`, or bytes), kept as its normalised text (`.string("512MiB")`).
    case size
    /// `.array` of `.string`; a string value is split on commas.
    case stringList
    /// `.object` of `.string`; a string value is read as `k=v;k2=v2`.
    case stringMap
    /// One of the given strings, kept as `.string`.
    case choice([String])
    /// A list whose items are each one of the given strings.
    case choiceList([String])
    /// Local nexlets: `.array` of `.object` with `uri` (string), `argv` (array of strings), `env` (object
    /// of strings).
    case agents

    /// How the kind is named in error messages ("an integer", "a duration like \"5s\"", …).
    var expectation: String {
        switch self {
        case .string: "a string"
        case .bool: "true or false"
        case .int: "an integer"
        case .duration: "a duration like \"5s\" or \"1m30s\""
        case .size: "a size like \"512MiB\" or \"2GiB\""
        case .stringList: "a list of strings"
        case .stringMap: "an object of strings (or \"k=v;k2=v2\")"
        case .choice(let choices): "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
        case .choiceList(let choices): "a list of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
        case .agents: "a list of {\"uri\", \"argv\", \"env\"} objects"
        }
    }
}
