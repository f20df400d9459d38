import NATSSubjects

/// Checks the ids and namespaces that minting interpolates into permission subjects.
enum MintedSubject {
    /// `value` must be one literal subject token by the package's one rule (``NATSSubjects/SubjectToken``),
    /// reported as a ``MinterError``.
    static func validate(_ value: String, role: String) throws(MinterError) {
        func reject(_ reason: String) -> MinterError {
            .invalidSubjectToken(role: role, value: value, reason: reason)
        }
        do {
            try SubjectToken.validate(value, as: role)
        } catch {
            switch error {
            case .empty: throw reject("must not be empty")
            case .systemPrefix: throw reject("must not start with '$'")
            case .forbiddenCharacter(_, _, "."): throw reject("must not contain '.'")
            case .forbiddenCharacter(_, _, "*"), .forbiddenCharacter(_, _, ">"): throw reject("must not contain wildcards")
            case .forbiddenCharacter: throw reject("must not contain whitespace or control characters")
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
