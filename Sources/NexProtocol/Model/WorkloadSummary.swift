/// One workload in a list reply (`WorkloadSummary`).
public struct WorkloadSummary: GoJSONObject {
    public var id = ""
    /// Agent-specific; omitted when nil or empty.
    public var metadata: [String: String]?
    public var name = ""
    /// The owning namespace. Optional for Go decoders, but always send it: clients need it for
    /// cross-namespace stop and clone.
    public var namespace: String?
    /// Free text (a Go duration string, or `--`).
    public var runtime = ""
    /// Free text; the reference agents send RFC 3339 without fraction (see ``GoTime/rfc3339Seconds``).
    public var startTime = ""
    public var tags: NodeTags?
    /// A free string on this type (not enum-checked).
    public var workloadLifecycle = ""
    public var workloadState = WorkloadState.starting
    public var workloadType = ""

    public init() {}

    public init(
        id: String, name: String, namespace: String?, workloadType: String, workloadLifecycle: String,
        workloadState: WorkloadState, startTime: String = "", runtime: String = "", tags: NodeTags? = nil,
        metadata: [String: String]? = nil
    ) {
        self.id = id
        self.name = name
        self.namespace = namespace
        self.workloadType = workloadType
        self.workloadLifecycle = workloadLifecycle
        self.workloadState = workloadState
        self.startTime = startTime
        self.runtime = runtime
        self.tags = tags
        self.metadata = metadata
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .omitEmpty("metadata", \.metadata),
        .required("name", \.name),
        .omitNil("namespace", \.namespace),
        .required("runtime", \.runtime),
        .required("start_time", \.startTime),
        .required("tags", \.tags),
        .required("workload_lifecycle", \.workloadLifecycle),
        .required("workload_state", \.workloadState),
        .required("workload_type", \.workloadType),
    ]
}

/// The WPING / QUERYWORKLOADS request (`AgentListWorkloadsRequest`).
public struct AgentListWorkloadsRequest: GoJSONObject {
    /// Workload ids or names to keep; nil (`null`) or empty keeps everything.
    public var filter: [String]?
    /// The namespace to list; `system` lists every namespace.
    public var namespace = ""

    public init() {}

    public init(namespace: String, filter: [String]? = nil) {
        self.namespace = namespace
        self.filter = filter
    }

    /// The reference agents' filter rule: keep when the filter is empty or names the id or the name.
    public func keeps(id: String, name: String) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return filter.contains(id) || filter.contains(name)
    }

    public static let goFields: [GoField<Self>] = [
        .required("filter", \.filter),
        .required("namespace", \.namespace),
    ]
}

/// The WPING / QUERYWORKLOADS reply: an array of summaries, `null` (nil) or `[]` when empty.
public typealias AgentListWorkloadsResponse = [WorkloadSummary]?
