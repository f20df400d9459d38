/// Why the native nexlet refused to start a workload. The text is what the node relays to the client (a
/// code-100 error), so each case says what was wrong and with which value.
public enum NativeStartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `run_request` is not the JSON the schema describes.
    case invalidRunRequest(String)
    /// The reference's exact text for a URI with an unknown scheme.
    case unsupportedURI(String)
    /// A `nats://` or `file://` URI that cannot be parsed.
    case invalidURI(uri: String, reason: String)
    case artifactNotFound(uri: String, reason: String)
    /// The reference's text: `artifact path is a directory`.
    case artifactIsDirectory(path: String)
    case artifactNotRegularFile(path: String)
    case artifactNotExecutable(path: String)
    case artifactUnreadable(path: String, reason: String)
    /// The artifact's SHA-256 is not the `digest` of the start request.
    case digestMismatch(uri: String, expected: String, actual: String)
    /// Fetching or caching the artifact failed.
    case artifactFetchFailed(uri: String, reason: String)
    /// `encrypted_environment` could not be opened with the nexlet's xkey.
    case encryptedEnvironment(String)
    case invalidEnvironment(String)
    case invalidWorkdir(path: String, reason: String)
    case invalidTriggerSubject(subject: String, namespace: String)
    /// The process could not be started.
    case spawnFailed(String)
    case invalidWorkloadID(String)
    case missingNamespace
    case duplicateWorkload(String)
    /// SETLAMEDUCK came in: no new workloads.
    case lameduck
    /// A stop or lameduck came in while the workload was starting; it was stopped again.
    case stoppedWhileStarting(String)
    // issue 12: sandbox
    /// The workload's sandbox (uid, home directory) could not be prepared.
    case sandboxUnavailable(String)
    // issue 14: limits
    /// The request has `limits` this host cannot enforce (no cgroups, not root); it is refused, never run unlimited.
    case limitsUnenforceable(String)

    public var description: String {
        switch self {
        case .invalidRunRequest(let reason):
            return "invalid start request: \(reason)"
        case .unsupportedURI(let uri):
            return "invalid uri; must be prefixed with file:// for local binary or nats:// to fetch an artifact: \(uri)"
        case .invalidURI(let uri, let reason):
            return "invalid artifact uri \(uri): \(reason)"
        case .artifactNotFound(let uri, let reason):
            return "artifact \(uri) not found: \(reason)"
        case .artifactIsDirectory(let path):
            return "artifact path is a directory: \(path)"
        case .artifactNotRegularFile(let path):
            return "artifact path is not a regular file: \(path)"
        case .artifactNotExecutable(let path):
            return "artifact is not executable: \(path)"
        case .artifactUnreadable(let path, let reason):
            return "artifact \(path) cannot be read: \(reason)"
        case .digestMismatch(let uri, let expected, let actual):
            return "artifact \(uri) has digest \(actual), but the start request requires \(expected)"
        case .artifactFetchFailed(let uri, let reason):
            return "failed to fetch artifact \(uri): \(reason)"
        case .encryptedEnvironment(let reason):
            return "cannot open encrypted_environment with this nexlet's xkey: \(reason)"
        case .invalidEnvironment(let reason):
            return "invalid environment: \(reason)"
        case .invalidWorkdir(let path, let reason):
            return "invalid workdir \(path): \(reason)"
        case .invalidTriggerSubject(let subject, let namespace):
            return "invalid trigger_subject \"\(subject)\": must be a valid subject inside the workload's namespace (\(namespace).>)"
        case .spawnFailed(let reason):
            return "failed to start the workload process: \(reason)"
        case .invalidWorkloadID(let id):
            return "invalid workload id \"\(id)\": must be a single subject token of letters, digits, '-' and '_'"
        case .missingNamespace:
            return "start request has no namespace"
        case .duplicateWorkload(let id):
            return "workload \(id) already exists on this nexlet"
        case .lameduck:
            return "agent is in lameduck mode and accepts no new workloads"
        case .stoppedWhileStarting(let id):
            return "workload \(id) was stopped while it was starting"
        case .sandboxUnavailable(let reason):
            return "cannot prepare the workload's sandbox: \(reason)"
        case .limitsUnenforceable(let reason):
            return "cannot enforce the workload's limits: \(reason); the workload was not started"
        }
    }
}
