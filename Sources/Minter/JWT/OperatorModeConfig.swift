/// nats-server configuration text for operator (JWT) mode with the built-in memory resolver:
/// the operator JWT, the system account and the account JWTs to preload.
public enum OperatorModeConfig {
    /// Renders
    /// ```
    /// operator: "<operator JWT>"
    /// system_account: "<A…>"
    /// resolver: MEMORY
    /// resolver_preload: {
    ///   "<A…>": "<account JWT>"
    /// }
    /// ```
    /// - Parameters:
    ///   - accounts: account public key → account JWT (signed by the operator); include the system account.
    public static func memoryResolver(operatorJWT: String, systemAccount: String?, accounts: [String: String]) -> String {
        var lines = ["operator: \(quoted(operatorJWT))"]
        if let systemAccount { lines.append("system_account: \(quoted(systemAccount))") }
        lines.append("resolver: MEMORY")
        lines.append("resolver_preload: {")
        for key in accounts.keys.sorted() {
            lines.append("  \(quoted(key)): \(quoted(accounts[key] ?? ""))")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// JWTs and keys are base64url / base32 text, so plain double quotes suffice; anything else is dropped.
    private static func quoted(_ value: String) -> String {
        "\"" + value.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." || $0 == "=" } + "\""
    }
}
