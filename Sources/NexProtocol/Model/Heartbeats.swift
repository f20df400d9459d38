/// The heartbeat an agent publishes every 10 s (`AgentHeartbeat`). A heartbeat missing any key (here or
/// in the summary) is ignored by the node.
public struct AgentHeartbeat: GoJSONObject {
    /// Free-form, e.g. a JSON string like `{"namespace_count":1,"register_type":"native"}`.
    public var data = ""
    public var summary = AgentSummary()

    public init() {}

    public init(summary: AgentSummary, data: String = "") {
        self.summary = summary
        self.data = data
    }

    public static let goFields: [GoField<Self>] = [
        .required("data", \.data),
        .required("summary", \.summary),
    ]
}

/// The node's own heartbeat on `$NEX.SVC.system.control.HEARTBEAT.<nodeId>`: an ad-hoc object without a
/// schema or required-key check.
public struct NodeHeartbeat: GoJSONObject {
    /// `"<agentId> [<register_type>], <agentId> [<register_type>]"`, `""` without agents.
    public var registrations = ""

    public init() {}

    public init(registrations: String) {
        self.registrations = registrations
    }

    /// Builds the registrations text from `(agentId, registerType)` pairs.
    public init(agents: [(id: String, registerType: String)]) {
        registrations = agents.map { "\($0.id) [\($0.registerType)]" }.joined(separator: ", ")
    }

    public static let goFields: [GoField<Self>] = [
        .lenient("registrations", \.registrations),
    ]
}
