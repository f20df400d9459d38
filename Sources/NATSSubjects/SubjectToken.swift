/// Validation of names that become a single subject token: namespaces, node/agent/workload/bid ids and
/// nexus names. Node handlers take tokens by position, so such a name must not contain `.`, `*`, `>` or
/// whitespace and must not be empty.
public enum SubjectToken {
    /// True when `name` can be used as exactly one subject token.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains(where: isForbidden)
    }

    /// Throws a ``SubjectTokenError`` naming `role` (e.g. "namespace") when `name` is not a single token.
    public static func validate(_ name: String, as role: String) throws(SubjectTokenError) {
        if name.isEmpty { throw .empty(role: role) }
        if let bad = name.unicodeScalars.first(where: isForbidden) {
            throw .forbiddenCharacter(role: role, name: name, character: Character(bad))
        }
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "*" || scalar == ">" || scalar.properties.isWhitespace
            || scalar.value < 0x20 || scalar.value == 0x7F
    }
}

/// Why a name cannot be a subject token.
public enum SubjectTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty(role: String)
    case forbiddenCharacter(role: String, name: String, character: Character)

    public var description: String {
        switch self {
        case .empty(let role):
            return "\(role) must not be empty"
        case .forbiddenCharacter(let role, let name, let character):
            let shown = character.isWhitespace || character.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true
                ? "U+" + String(character.unicodeScalars.first?.value ?? 0, radix: 16, uppercase: true)
                : "'\(character)'"
            return "\(role) \"\(name)\" contains \(shown); it must be a single subject token (no '.', '*', '>' or whitespace)"
        }
    }
}
