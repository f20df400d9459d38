/// Where a resolved setting's value came from.
enum SettingSource: Sendable, Equatable {
    case `default`
    /// An environment variable (its name).
    case environment(String)
    /// A config file (its absolute path).
    case file(String)
    case flag

    /// How `--check` names it: `default`, the variable name, the file path or `flag`.
    var label: String {
        switch self {
        case .default: "default"
        case .environment(let name): name
        case .file(let path): path
        case .flag: "flag"
        }
    }
}
