/// Phrasing helpers for validation messages, which operators read.
enum Wording {
    /// `string`, `string or null`, `string, integer or null` (or with `and`).
    static func alternatives(_ words: [String], conjunction: String = "or") -> String {
        guard let last = words.last else { return "" }
        guard words.count > 1 else { return last }
        return words.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }

    /// `1 item`, `3 items`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : (plural ?? singular + "s"))"
    }

    /// A value as compact JSON, abbreviated when long.
    static func value(_ value: JSONValue) -> String {
        value.abbreviatedText()
    }

    /// Up to ten values as JSON, then `…`.
    static func values(_ values: [JSONValue]) -> String {
        let shown = values.prefix(10).map { $0.abbreviatedText(limit: 40) }.joined(separator: ", ")
        return values.count > 10 ? shown + ", …" : shown
    }

    /// `text` cut to `limit` characters, so digests of nested alternatives stay short.
    static func abbreviated(_ text: String, limit: Int = 100) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// One-line digest of why each alternative of `anyOf`/`oneOf` failed:
    /// `[0] expected string, got integer; [1] /a: missing required property "b"`.
    static func digest(_ branches: [(index: Int, errors: [ValidationError])], at location: String) -> String {
        branches.map { branch in
            let sorted = branch.errors.sorted(by: ValidationError.precedes)
            var parts = sorted.prefix(2).map { error in
                abbreviated(error.instanceLocation == location ? error.message : "\(error.displayLocation): \(error.message)")
            }
            if sorted.count > 2 { parts.append("and \(count(sorted.count - 2, "more problem"))") }
            return "[\(branch.index)] " + parts.joined(separator: ", ")
        }.joined(separator: "; ")
    }
}
