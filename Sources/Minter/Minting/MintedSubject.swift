/// Checks the ids and namespaces that minting interpolates into permission subjects.
enum SubjectToken {
    /// `value` must be one literal subject token: not empty, no `.`, `*`, `>`, whitespace or control characters,
    /// and not starting with `$` (system subject spaces like `$JS`, `$SYS`, `$NEX`).
    static func validate(_ value: String, role: String) throws(MinterError) {
        func reject(_ reason: String) -> MinterError {
            .invalidSubjectToken(role: role, value: value, reason: reason)
        }
        guard !value.isEmpty else { throw reject("must not be empty") }
        if value.hasPrefix("$") { throw reject("must not start with '$'") }
        for scalar in value.unicodeScalars {
            switch scalar {
            case ".": throw reject("must not contain '.'")
            case "*", ">": throw reject("must not contain wildcards")
            default:
                if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
                    throw reject("must not contain whitespace or control characters")
                }
            }
        }
    }

    /// A subject for an allow list: non-empty tokens separated by dots, no whitespace, `>` only last.
    static func validateSubject(_ subject: String) throws(MinterError) {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        for (index, token) in tokens.enumerated() {
            let valid = !token.isEmpty
                && !token.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
                && (token == ">" ? index == tokens.count - 1 : !token.contains(">"))
                && (token == "*" || !token.contains("*"))
            guard valid else { throw .invalidSubject(subject) }
        }
    }
}
