/// The UNDEPLOY / STOPWORKLOAD request body (`StopWorkloadRequest`).
public struct StopWorkloadRequest: GoJSONObject {
    /// The namespace the workload lives in.
    public var namespace = ""

    public init() {}

    public init(namespace: String) {
        self.namespace = namespace
    }

    public static let goFields: [GoField<Self>] = [
        .required("namespace", \.namespace),
    ]
}

/// The reply to a stop (`StopWorkloadResponse`).
public struct StopWorkloadResponse: GoJSONObject {
    public var id = ""
    /// Empty on success, e.g. `workload not found` otherwise.
    public var message = ""
    public var stopped = false
    /// The register type of the agent that stopped it (empty when not found).
    public var workloadType = ""

    public init() {}

    public init(id: String, message: String = "", stopped: Bool, workloadType: String = "") {
        self.id = id
        self.message = message
        self.stopped = stopped
        self.workloadType = workloadType
    }

    /// The reply when no agent had the workload:
    /// `{"id":<id>,"message":"workload not found","stopped":false,"workload_type":""}`.
    public static func notFound(id: String) -> StopWorkloadResponse {
        StopWorkloadResponse(id: id, message: GenericError.workloadNotFound.rawValue, stopped: false)
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .required("message", \.message),
        .required("stopped", \.stopped),
        .required("workload_type", \.workloadType),
    ]
}
