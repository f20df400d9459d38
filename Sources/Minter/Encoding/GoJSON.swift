import GoJSONText

/// Writes JSON the way Go's `encoding/json` does, so that hashes and signatures match the Go libraries:
/// a small builder for the fixed JWT claim shapes; NexProtocol's table-driven encoder is the general one
/// (Minter does not depend on NexProtocol), and both escape strings with ``GoJSONString``.
/// compact, fields in the order they are written, `omitempty` on request, and HTML-safe string escaping
/// (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`; U+2028/U+2029 escaped; other controls as `\u00XX`).
struct GoJSONObject {
    private var body = ""

    /// A JSON string literal with Go's escaping (the package's one implementation, ``GoJSONString``).
    static func quote(_ value: String) -> String {
        GoJSONString.quoted(value)
    }

    /// A JSON object of string values with keys sorted by their UTF-8 bytes, as Go writes a `map[string]string`.
    static func stringMap(_ map: [String: String]) -> String {
        var object = GoJSONObject()
        for key in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            object.string(key, map[key] ?? "", omitEmpty: false)
        }
        return object.json
    }

    /// The finished object text.
    var json: String { "{" + body + "}" }

    /// Appends `"key":<raw JSON>`.
    mutating func raw(_ key: String, _ rawJSON: String) {
        if !body.isEmpty { body += "," }
        body += GoJSONObject.quote(key) + ":" + rawJSON
    }

    mutating func string(_ key: String, _ value: String, omitEmpty: Bool = true) {
        if omitEmpty && value.isEmpty { return }
        raw(key, GoJSONObject.quote(value))
    }

    mutating func int<Number: BinaryInteger>(_ key: String, _ value: Number, omitEmpty: Bool = true) {
        if omitEmpty && value == 0 { return }
        raw(key, String(value))
    }

    mutating func bool(_ key: String, _ value: Bool, omitEmpty: Bool = true) {
        if omitEmpty && !value { return }
        raw(key, value ? "true" : "false")
    }

    mutating func strings(_ key: String, _ values: [String], omitEmpty: Bool = true) {
        if omitEmpty && values.isEmpty { return }
        raw(key, "[" + values.map(GoJSONObject.quote).joined(separator: ",") + "]")
    }

    /// Appends a nested object. Go never omits struct-typed fields, even with `omitempty`, so neither does this.
    mutating func object(_ key: String, _ build: (inout GoJSONObject) -> Void) {
        var nested = GoJSONObject()
        build(&nested)
        raw(key, nested.json)
    }
}
