import NexProtocol

/// Errors a runtime throws to the runner. Their text is what the node (and, through ADEPLOY, the client)
/// sees in `Nats-Service-Error`.
public enum NexletError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `workload not found`: GETWORKLOAD stays silent on it; STOPWORKLOAD replies `stopped: false`.
    case workloadNotFound
    /// `namespace not found`.
    case namespaceNotFound
    /// The runner refuses to start workloads after lameduck.
    case lameduck
    /// The runtime does not support the requested lifecycle.
    case unsupportedLifecycle(WorkloadLifecycle)
    /// Any other failure, with the text to report.
    case failed(String)

    public var description: String {
        switch self {
        case .workloadNotFound: return GenericError.workloadNotFound.rawValue
        case .namespaceNotFound: return GenericError.namespaceNotFound.rawValue
        case .lameduck: return "agent is in lameduck mode and accepts no new workloads"
        case .unsupportedLifecycle(let lifecycle): return "workload lifecycle \(lifecycle.rawValue) is not supported by this nexlet"
        case .failed(let text): return text
        }
    }
}

/// The text an error travels as: its description (Go's `err.Error()`).
func errorText(_ error: any Error) -> String {
    String(describing: error)
}
