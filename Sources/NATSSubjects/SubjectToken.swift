/// The one rule for names that become a single literal subject token: namespaces, node/agent/workload/bid
/// ids, nexus names, register types, artifact buckets. Node handlers take tokens by position and credentials
/// interpolate these names into permission subjects, so such a name
/// - is not empty,
/// - does not start with `$` (subjects starting with `$` are system spaces: `$JS`, `$SYS`, `$NEX`, …; a
///   namespace `$JS` would turn the permission `<namespace>.>` into the JetStream API),
/// - contains no `.` (token separator), no `*` or `>` (wildcards), no whitespace (Unicode) and no control
///   character (below U+0020, U+007F).
/// Anything else, including non-ASCII letters, is allowed, as NATS allows it. Used by NexProtocol and its
/// users and by Minter (which maps ``SubjectTokenError`` to its own error), so the two agree.
public enum SubjectToken {
    /// True when `name` can be used as exactly one subject token.
    public static func isValid(_ name: String) -> Bool {
        problem(name, role: "") == nil
    }

    /// Throws a ``SubjectTokenError`` naming `role` (e.g. "namespace") when `name` is not a single token.
    public static func validate(_ name: String, as role: String) throws(SubjectTokenError) {
        if let problem = problem(name, role: role) { throw problem }
    }

    private static func problem(_ name: String, role: String) -> SubjectTokenError? {
        if name.isEmpty { return .empty(role: role) }
        if name.hasPrefix("$") { return .systemPrefix(role: role, name: name) }
        if let bad = name.unicodeScalars.first(where: isForbidden) {
            return .forbiddenCharacter(role: role, name: name, character: Character(bad))
        }
        return nil
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "*" || scalar == ">" || scalar.properties.isWhitespace
            || scalar.value < 0x20 || scalar.value == 0x7F
    }
}

/// Why a name cannot be a subject token.
public enum SubjectTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty(role: String)
    /// The name starts with `$`.
    case systemPrefix(role: String, name: String)
    case forbiddenCharacter(role: String, name: String, character: Character)

    public var description: String {
        switch self {
        case .empty(let role):
            return "\(role) must not be empty"
        case .systemPrefix(let role, let name):
            return "\(role) \"\(name)\" starts with '$'; names starting with '$' are reserved for system subjects ($JS, $SYS, $NEX)"
        case .forbiddenCharacter(let role, let name, let character):
            let shown = character.isWhitespace || character.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true
                ? "U+" + String(character.unicodeScalars.first?.value ?? 0, radix: 16, uppercase: true)
                : "'\(character)'"
            return "\(role) \"\(name)\" contains \(shown); it must be a single subject token (no '.', '*', '>' or whitespace)"
        }
    }
}
