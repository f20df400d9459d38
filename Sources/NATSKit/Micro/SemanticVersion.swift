/// The one semantic-version check (semver.org 2.0.0, the rule nats.go micro applies to a service version):
/// `MAJOR.MINOR.PATCH` of decimal numbers without leading zeros, then optionally `-` and dot-separated
/// pre-release identifiers (non-empty `[0-9A-Za-z-]`, a purely numeric one without leading zeros), then
/// optionally `+` and dot-separated build identifiers (non-empty `[0-9A-Za-z-]`). Used by `MicroService`
/// and the nexlet SDK's registration check.
public enum SemanticVersion {
    public static func isValid(_ version: String) -> Bool {
        var rest = Substring(version)
        var build: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var prerelease: Substring?
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy(isNumber) else { return false }
        if let prerelease {
            let identifiers = prerelease.split(separator: ".", omittingEmptySubsequences: false)
            guard identifiers.allSatisfy({ isIdentifier($0) && (!$0.allSatisfy(isDigit) || isNumber($0)) }) else { return false }
        }
        if let build {
            guard build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier) else { return false }
        }
        return true
    }

    /// `0` or a decimal number without a leading zero.
    private static func isNumber(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy(isDigit) && (part == "0" || part.first != "0")
    }

    private static func isIdentifier(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy { isDigit($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "-" }
    }

    private static func isDigit(_ character: Character) -> Bool {
        ("0"..."9").contains(character)
    }
}
