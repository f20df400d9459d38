import Foundation
import NexProtocol

/// The environment of a workload process (decisions.md §5): nothing of the node's environment, only `PATH`,
/// the user's variables (plain, then decrypted ones over them) and the `NEX_WORKLOAD_*` variables, which
/// always win.
public enum WorkloadEnvironment {
    /// Comma-separated NATS server URLs from the workload credentials.
    public static let servers = "NEX_WORKLOAD_NATS_SERVERS"
    /// The same list, under the name the reference's test workload reads.
    public static let url = "NEX_WORKLOAD_NATS_URL"
    /// The workload credentials' nkey **seed** (the reference's name, kept for compatibility).
    public static let nkey = "NEX_WORKLOAD_NATS_NKEY"
    /// Standard base64 of the workload's user JWT (empty without one).
    public static let base64JWT = "NEX_WORKLOAD_NATS_B64_JWT"
    public static let workloadID = "NEX_WORKLOAD_ID"
    public static let namespace = "NEX_WORKLOAD_NAMESPACE"
    /// The state directory of the nexlet that started the process: finds its processes after a crash even
    /// when the crash came between spawning a process and recording it.
    public static let owner = "NEX_WORKLOAD_OWNER"
    // issue 12: private inboxes
    /// The inbox prefix the workload's connection must use (its credential may subscribe only `<prefix>.>`);
    /// empty = the default `_INBOX`.
    public static let inboxPrefix = "NEX_WORKLOAD_NATS_INBOX_PREFIX"
    /// For functions: the subject the triggering message arrived on.
    public static let triggerSubject = "NEX_TRIGGER_SUBJECT"

    /// Builds the complete environment.
    public static func build(
        path: String, user: [String: String], credentials: NatsConnectionData, workloadID: String, namespace: String,
        owner: String? = nil
    ) -> [String: String] {
        var environment = ["PATH": path]
        environment.merge(user) { _, new in new }
        environment[servers] = credentials.natsServers.joined(separator: ",")
        environment[url] = credentials.natsServers.joined(separator: ",")
        environment[nkey] = credentials.natsUserSeed
        environment[base64JWT] = credentials.natsUserJWT.isEmpty ? "" : Data(credentials.natsUserJWT.utf8).base64EncodedString()
        environment[inboxPrefix] = credentials.natsInboxPrefix
        environment[Self.workloadID] = workloadID
        environment[Self.namespace] = namespace
        if let owner { environment[Self.owner] = owner }
        return environment
    }

    /// Every name must be usable with `execve`: non-empty, no `=`, no NUL; values without NUL.
    static func validate(_ variables: [String: String], what: String) throws(NativeStartError) {
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty else { throw .invalidEnvironment("\(what) has a variable with an empty name") }
            guard !name.contains("="), !name.utf8.contains(0) else {
                throw .invalidEnvironment("\(what) variable name \"\(name)\" may not contain '=' or NUL")
            }
            guard !value.utf8.contains(0) else {
                throw .invalidEnvironment("\(what) variable \(name) contains a NUL byte")
            }
        }
    }
}
