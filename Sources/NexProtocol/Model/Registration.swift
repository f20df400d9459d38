/// The RREGISTER request (`RegisterRemoteAgentRequest`): any object; agents send `{}`.
public struct RegisterRemoteAgentRequest: GoJSONObject {
    public init() {}
    public static let goFields: [GoField<Self>] = []
}

/// The RREGISTER reply (`RegisterRemoteAgentResponse`).
public struct RegisterRemoteAgentResponse: GoJSONObject {
    /// The agent id the node chose.
    public var assignedAgentID = ""
    /// Credentials good for REGISTER only; omitted when nil.
    public var registrationCreds: NatsConnectionData?
    /// The node id the agent must REGISTER with.
    public var respondTo = ""

    public init() {}

    public init(assignedAgentID: String, respondTo: String, registrationCreds: NatsConnectionData?) {
        self.assignedAgentID = assignedAgentID
        self.respondTo = respondTo
        self.registrationCreds = registrationCreds
    }

    public static let goFields: [GoField<Self>] = [
        .required("assigned_agent_id", \.assignedAgentID),
        .omitNil("registration_creds", \.registrationCreds),
        .required("respond_to", \.respondTo),
    ]
}

/// The REGISTER request (`RegisterAgentRequest`).
public struct RegisterAgentRequest: GoJSONObject {
    public var description = ""
    /// 0 means unlimited.
    public var maxWorkloads: Double = 0
    /// The agent name: its micro service name (`^[A-Za-z0-9\-_]+$`) and the AGENTID lookup key.
    public var name = ""
    /// The agent's curve public key, returned to bidders as `xkey`.
    public var publicXkey = ""
    /// The workload type served; must be non-empty.
    public var registerType = ""
    /// A JSON Schema document, as a string.
    public var startRequestSchema = ""
    /// Omitted when nil or empty.
    public var supportedLifecycles: [WorkloadLifecycle]?
    /// Must be semver (the micro service version).
    public var version = ""

    public init() {}

    public init(
        name: String, registerType: String, version: String, description: String = "", maxWorkloads: Double = 0,
        publicXkey: String, startRequestSchema: String, supportedLifecycles: [WorkloadLifecycle]? = nil
    ) {
        self.name = name
        self.registerType = registerType
        self.version = version
        self.description = description
        self.maxWorkloads = maxWorkloads
        self.publicXkey = publicXkey
        self.startRequestSchema = startRequestSchema
        self.supportedLifecycles = supportedLifecycles
    }

    public static let goFields: [GoField<Self>] = [
        .required("description", \.description),
        .required("max_workloads", \.maxWorkloads),
        .required("name", \.name),
        .required("public_xkey", \.publicXkey),
        .required("register_type", \.registerType),
        .required("start_request_schema", \.startRequestSchema),
        .omitEmpty("supported_lifecycles", \.supportedLifecycles),
        .required("version", \.version),
    ]
}

/// The REGISTER reply (`RegisterAgentResponse`).
public struct RegisterAgentResponse: GoJSONObject {
    /// The agent's long-lived credentials.
    public var connectionData = NatsConnectionData()
    /// Persisted workloads to replay (the wire calls them existing state), by workload id; `{}` when none (nil travels as `null`).
    public var existingState: [String: AgentStartWorkloadRequest]?
    /// `""` on success.
    public var message = ""
    public var nodeID = ""
    public var success = false

    public init() {}

    public init(
        connectionData: NatsConnectionData, existingState: [String: AgentStartWorkloadRequest]? = [:],
        message: String = "", nodeID: String, success: Bool = true
    ) {
        self.connectionData = connectionData
        self.existingState = existingState
        self.message = message
        self.nodeID = nodeID
        self.success = success
    }

    public static let goFields: [GoField<Self>] = [
        .required("connection_data", \.connectionData),
        .required("existing_state", \.existingState),
        .required("message", \.message),
        .required("node_id", \.nodeID),
        .required("success", \.success),
    ]
}
