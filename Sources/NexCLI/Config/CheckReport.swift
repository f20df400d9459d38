import JSONSchema

/// What `--check` prints: every resolved setting of the command by flag name, `_sources` naming where each
/// value came from (`default`, an environment variable, a config file path or `flag`), and `_config_files`.
/// Secrets (seeds, passwords, JWTs) show as `"<redacted>"` when set.
enum CheckReport {
    static let redacted = "<redacted>"

    static func make(_ settings: [Setting], resolved: ResolvedSettings, extra: [String: JSONValue] = [:]) -> JSONValue {
        var document: [String: JSONValue] = [:]
        var sources: [String: JSONValue] = [:]
        for setting in settings {
            let value = resolved.value(setting)
            if setting.isSecret, value != .string(""), value != .null {
                document[setting.name] = .string(redacted)
            } else {
                document[setting.name] = value
            }
            sources[setting.name] = .string(resolved.source(setting).label)
        }
        for (key, value) in extra { document[key] = value }
        document["_sources"] = .object(sources)
        document["_config_files"] = .array(resolved.files.map(JSONValue.string))
        return .object(document)
    }
}
