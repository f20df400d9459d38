/// How a workload runs (`WorkloadLifecycle`).
public enum WorkloadLifecycle: String, GoJSONEnum {
    case service
    case job
    case function
}

/// The state a node reports in PING replies (`NodeState`).
public enum NodeState: String, GoJSONEnum {
    case starting
    case running
    case lameduck
    case stopping
    case error
}

/// The state of one workload in a `WorkloadSummary` (`WorkloadState`).
public enum WorkloadState: String, GoJSONEnum {
    case starting
    case running
    case warm
    case stopping
    case stopped
    case error
}

/// The command of an ingress message (`AgentIngressCommands`).
public enum AgentIngressCommand: String, GoJSONEnum {
    case add
    case remove
}

/// The agent states a nexlet reports in `AgentSummary.state`. On the wire the field is a free string
/// (not enum-checked), so ``AgentSummary/state`` stays a `String`; these are the values that mean something.
public enum AgentState: String, Sendable, CaseIterable {
    case starting
    case running
    case stopping
    case lameduck
    case error
}

/// The node's view of an agent's health (`NodeAgentSummary.agent_health`), derived from heartbeats.
public enum AgentHealth: String, Sendable, CaseIterable {
    case healthy
    case shuttingDown = "shutting down"
    case degraded
    case offline
    case unknown

    /// The stoplight emoji of `agent_health_stoplight`.
    public var stoplight: String {
        switch self {
        case .healthy: return "\u{1F7E2}"  // 🟢
        case .shuttingDown: return "\u{1F7E0}"  // 🟠
        case .degraded: return "\u{1F7E1}"  // 🟡
        case .offline: return "\u{1F534}"  // 🔴
        case .unknown: return "\u{26AA}\u{FE0F}"  // ⚪️
        }
    }

    /// The health a heartbeat's agent state maps to: `running` → healthy, `error`/`starting` → degraded,
    /// `lameduck`/`stopping` → shutting down, anything else → unknown.
    public init(heartbeatState state: String) {
        switch AgentState(rawValue: state) {
        case .running: self = .healthy
        case .error, .starting: self = .degraded
        case .lameduck, .stopping: self = .shuttingDown
        case nil: self = .unknown
        }
    }
}

/// The generic error texts agents use (`GenericErrors`); CLONE's silent drop keys on the exact text.
public enum GenericError: String, Sendable, CaseIterable {
    case workloadNotFound = "workload not found"
    case namespaceNotFound = "namespace not found"
}
