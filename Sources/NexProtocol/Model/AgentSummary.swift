/// What an agent says about itself in heartbeats and PING replies (`AgentSummary`).
public struct AgentSummary: GoJSONObject {
    /// The agent name.
    public var name = ""
    public var startTime = GoTime.zero
    /// A free string; `running` makes the agent healthy (see ``AgentState``).
    public var state = ""
    /// Comma-separated lifecycles, e.g. `service,job,function` (a string, unlike registration and bids).
    public var supportedLifecycles = ""
    /// The register type.
    public var type = ""
    public var version = ""
    public var workloadCount = 0

    public init() {}

    public init(
        name: String, type: String, version: String, state: String, startTime: GoTime,
        supportedLifecycles: String = "", workloadCount: Int = 0
    ) {
        self.name = name
        self.type = type
        self.version = version
        self.state = state
        self.startTime = startTime
        self.supportedLifecycles = supportedLifecycles
        self.workloadCount = workloadCount
    }

    /// Joins lifecycles the way the wire expects (`service,job,function`).
    public static func joinLifecycles(_ lifecycles: [WorkloadLifecycle]) -> String {
        lifecycles.map(\.rawValue).joined(separator: ",")
    }

    public static let goFields: [GoField<Self>] = [
        .required("name", \.name),
        .required("start_time", \.startTime),
        .required("state", \.state),
        .required("supported_lifecycles", \.supportedLifecycles),
        .required("type", \.type),
        .required("version", \.version),
        .required("workload_count", \.workloadCount),
    ]
}

/// One registered agent as the node sees it, in INFO replies (`NodeAgentSummary`).
public struct NodeAgentSummary: GoJSONObject {
    /// `healthy`, `shutting down`, `degraded`, `offline` or `unknown` (see ``AgentHealth``).
    public var agentHealth = ""
    /// The stoplight emoji matching ``agentHealth``.
    public var agentHealthStoplight = ""
    public var agentID = ""
    /// Zero time before the first heartbeat.
    public var agentLastHeartbeatTime = GoTime.zero
    /// All-zero before the first heartbeat.
    public var agentSummary = AgentSummary()

    public init() {}

    public init(agentID: String, health: AgentHealth, lastHeartbeat: GoTime = .zero,
                summary: AgentSummary = AgentSummary()) {
        self.agentID = agentID
        agentHealth = health.rawValue
        agentHealthStoplight = health.stoplight
        agentLastHeartbeatTime = lastHeartbeat
        agentSummary = summary
    }

    public static let goFields: [GoField<Self>] = [
        .required("agent_health", \.agentHealth),
        .required("agent_health_stoplight", \.agentHealthStoplight),
        .required("agent_id", \.agentID),
        .required("agent_last_heartbeat_time", \.agentLastHeartbeatTime),
        .required("agent_summary", \.agentSummary),
    ]
}

/// Agent summaries by agent id (`AgentSummaries`; defined, not used on the wire).
public typealias AgentSummaries = [String: AgentSummary]

/// Node agent summaries by agent id (`NodeAgentSummaryResponse`; defined, not used on the wire).
public typealias NodeAgentSummaryResponse = [String: NodeAgentSummary]
