/// The PING / PING.<nodeId> request (`NodePingRequest`). The `filter` key is mandatory (`null` is fine).
public struct NodePingRequest: GoJSONObject {
    /// A node replies only when every pair matches one of its tags.
    public var filter: NodeTags?

    public init() {}

    public init(filter: NodeTags?) {
        self.filter = filter
    }

    public static let goFields: [GoField<Self>] = [
        .required("filter", \.filter),
    ]
}

/// A node's PING reply (`NodePingResponse`).
public struct NodePingResponse: GoJSONObject {
    /// Registered agents, healthy or not.
    public var agentCount = 0
    public var nodeID = ""
    /// When the node's start began (zero time before).
    public var startTime = GoTime.zero
    public var state = NodeState.starting
    public var tags: NodeTags?
    public var version = ""
    /// The node's public xkey.
    public var xkey = ""

    public init() {}

    public init(
        nodeID: String, version: String, startTime: GoTime, state: NodeState, tags: NodeTags?, xkey: String,
        agentCount: Int
    ) {
        self.nodeID = nodeID
        self.version = version
        self.startTime = startTime
        self.state = state
        self.tags = tags
        self.xkey = xkey
        self.agentCount = agentCount
    }

    public static let goFields: [GoField<Self>] = [
        .required("agent_count", \.agentCount),
        .required("node_id", \.nodeID),
        .required("start_time", \.startTime),
        .required("state", \.state),
        .required("tags", \.tags),
        .required("version", \.version),
        .required("xkey", \.xkey),
    ]
}

/// The INFO request (`NodeInfoRequest`): any object, unused; clients send `{}`.
public struct NodeInfoRequest: GoJSONObject {
    public init() {}
    public static let goFields: [GoField<Self>] = []
}

/// A node's INFO reply (`NodeInfoResponse`).
public struct NodeInfoResponse: GoJSONObject {
    /// One per registered agent; omitted when there are none.
    public var nodeAgentSummaries: [NodeAgentSummary]?
    public var nodeID = ""
    public var tags: NodeTags?
    /// Time since start, e.g. `12.345678901s`.
    public var uptime = GoDuration.zero
    public var version = ""
    /// The node's public xkey.
    public var xkey = ""

    public init() {}

    public init(
        nodeID: String, version: String, uptime: GoDuration, tags: NodeTags?, xkey: String,
        nodeAgentSummaries: [NodeAgentSummary]? = nil
    ) {
        self.nodeID = nodeID
        self.version = version
        self.uptime = uptime
        self.tags = tags
        self.xkey = xkey
        self.nodeAgentSummaries = nodeAgentSummaries
    }

    public static let goFields: [GoField<Self>] = [
        .omitEmpty("node_agent_summaries", \.nodeAgentSummaries),
        .required("node_id", \.nodeID),
        .required("tags", \.tags),
        .required("uptime", \.uptime),
        .required("version", \.version),
        .required("xkey", \.xkey),
    ]
}
