import JSONSchema

/// A workload definition: the ADEPLOY request body, the CLONE reply, the KV state value
/// (`StartWorkloadRequest`).
public struct StartWorkloadRequest: GoJSONObject {
    public var description = ""
    /// Free-form metadata (#516); omitted when nil or empty.
    public var metadata: [String: JSONValue]?
    /// Agents may invent a name when empty.
    public var name = ""
    /// The owning namespace.
    public var namespace = ""
    /// Optional documentation reference; sent whenever non-nil (a Go `*string`).
    public var reference: String?
    /// The agent-specific start request: a JSON document carried as a string.
    public var runRequest = ""
    /// Placement tags; nil travels as `null`.
    public var tags: NodeTags?
    public var workloadLifecycle = WorkloadLifecycle.service
    /// Must equal an agent's `register_type`.
    public var workloadType = ""

    public init() {}

    public init(
        name: String = "", namespace: String = "", description: String = "", workloadType: String = "",
        workloadLifecycle: WorkloadLifecycle = .service, runRequest: String = "", tags: NodeTags? = nil,
        metadata: [String: JSONValue]? = nil, reference: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.description = description
        self.workloadType = workloadType
        self.workloadLifecycle = workloadLifecycle
        self.runRequest = runRequest
        self.tags = tags
        self.metadata = metadata
        self.reference = reference
    }

    public static let goFields: [GoField<Self>] = [
        .required("description", \.description),
        .omitEmpty("metadata", \.metadata),
        .required("name", \.name),
        .required("namespace", \.namespace),
        .omitNil("reference", \.reference),
        .required("run_request", \.runRequest),
        .required("tags", \.tags),
        .required("workload_lifecycle", \.workloadLifecycle),
        .required("workload_type", \.workloadType),
    ]
}

/// What the node sends an agent on STARTWORKLOAD and in `existing_state` (`AgentStartWorkloadRequest`).
public struct AgentStartWorkloadRequest: GoJSONObject {
    public var request = StartWorkloadRequest()
    /// Credentials minted for the workload.
    public var workloadCreds = NatsConnectionData()

    public init() {}

    public init(request: StartWorkloadRequest, workloadCreds: NatsConnectionData = NatsConnectionData()) {
        self.request = request
        self.workloadCreds = workloadCreds
    }

    public static let goFields: [GoField<Self>] = [
        .required("request", \.request),
        .required("workload_creds", \.workloadCreds),
    ]
}

/// The reply to a successful deploy (`StartWorkloadResponse`); also the body of an agent's code-100 error.
public struct StartWorkloadResponse: GoJSONObject {
    /// The workload id.
    public var id = ""
    public var name = ""

    public init() {}

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .required("name", \.name),
    ]
}
