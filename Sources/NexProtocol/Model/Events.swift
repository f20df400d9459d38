/// The event names used as the last subject token of `$NEX.FEED.<from>.events.<NAME>`.
public enum NexEventName: String, Sendable, CaseIterable {
    case nodeStarted = "NODESTARTED"
    case nodeStopped = "NODESTOPPED"
    case nodeLameduckSet = "NODELAMEDUCKSET"
    case agentLameduckSet = "AGENTLAMEDUCKSET"
    case agentStarted = "AGENTSTARTED"
    case agentStopped = "AGENTSTOPPED"
    case workloadStarted = "WORKLOADSTARTED"
    case workloadStopped = "WORKLOADSTOPPED"
    case workloadTriggered = "WORKLOADTRIGGERED"
}

/// An event payload with its name. Node and agent events are published from the node id; workload events
/// from the namespace.
public protocol NexEvent: GoJSONObject {
    static var eventName: NexEventName { get }
}

extension NexEvent {
    /// `$NEX.FEED.<from>.events.<NAME>`.
    public static func subject(from: String) -> String {
        NexSubject.event(from: from, name: eventName)
    }
}

/// `NODESTARTED`: after the node's endpoints exist, before agents start.
public struct NexNodeStartedEvent: NexEvent {
    public static let eventName = NexEventName.nodeStarted
    /// The constant `type` value.
    public static let typeValue = "io.synadia.nex.event.nexnode_started"

    /// The node id.
    public var id = ""
    public var name = ""
    public var nexus = ""
    public var tags: NodeTags?
    public var type = NexNodeStartedEvent.typeValue

    public init() {}

    public init(id: String, name: String, nexus: String, tags: NodeTags?) {
        self.id = id
        self.name = name
        self.nexus = nexus
        self.tags = tags
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .required("name", \.name),
        .required("nexus", \.nexus),
        .required("tags", \.tags),
        .required("type", \.type),
    ]
}

/// `NODESTOPPED`: during shutdown, after the service stopped.
public struct NexNodeStoppedEvent: NexEvent {
    public static let eventName = NexEventName.nodeStopped
    public var id = ""

    public init() {}

    public init(id: String) {
        self.id = id
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
    ]
}

/// `NODELAMEDUCKSET`: when lameduck is entered; `time` is when shutdown begins.
public struct NexNodeLameduckSetEvent: NexEvent {
    public static let eventName = NexEventName.nodeLameduckSet
    public var id = ""
    public var time = GoTime.zero

    public init() {}

    public init(id: String, time: GoTime) {
        self.id = id
        self.time = time
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .required("time", \.time),
    ]
}

/// `AGENTLAMEDUCKSET`: one per agent acknowledgement of SETLAMEDUCK.
public struct AgentLameduckSetEvent: NexEvent {
    public static let eventName = NexEventName.agentLameduckSet
    public var success = false

    public init() {}

    public init(success: Bool) {
        self.success = success
    }

    public static let goFields: [GoField<Self>] = [
        .required("success", \.success),
    ]
}

/// `AGENTSTARTED`: when an agent registers successfully.
public struct AgentStartedEvent: NexEvent {
    public static let eventName = NexEventName.agentStarted
    /// The agent id.
    public var id = ""
    public var name = ""
    public var registerType = ""

    public init() {}

    public init(id: String, name: String, registerType: String) {
        self.id = id
        self.name = name
        self.registerType = registerType
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .required("name", \.name),
        .required("register_type", \.registerType),
    ]
}

/// `AGENTSTOPPED`: when the node stops an agent.
public struct AgentStoppedEvent: NexEvent {
    public static let eventName = NexEventName.agentStopped
    /// The agent id.
    public var id = ""
    public var name = ""
    public var reason = ""
    public var timestamp = GoTime.zero

    public init() {}

    public init(id: String, name: String = "", reason: String = "", timestamp: GoTime) {
        self.id = id
        self.name = name
        self.reason = reason
        self.timestamp = timestamp
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .required("name", \.name),
        .required("reason", \.reason),
        .required("timestamp", \.timestamp),
    ]
}

/// `WORKLOADSTARTED`: by the agent after a start; published from the namespace.
public struct WorkloadStartedEvent: NexEvent {
    public static let eventName = NexEventName.workloadStarted
    public var id = ""
    public var metadata: [String: String]?
    public var namespace = ""
    public var workloadType = ""

    public init() {}

    public init(id: String, namespace: String, workloadType: String, metadata: [String: String]? = nil) {
        self.id = id
        self.namespace = namespace
        self.workloadType = workloadType
        self.metadata = metadata
    }

    public static let goFields: [GoField<Self>] = [
        .required("id", \.id),
        .omitEmpty("metadata", \.metadata),
        .required("namespace", \.namespace),
        .required("workload_type", \.workloadType),
    ]
}

/// The reason a workload stopped abnormally (`error` of `WORKLOADSTOPPED`).
public struct WorkloadStoppedEventError: GoJSONObject {
    public var code = ""
    public var message = ""

    public init() {}

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public static let goFields: [GoField<Self>] = [
        .required("code", \.code),
        .required("message", \.message),
    ]
}

/// `WORKLOADSTOPPED`: by the agent after a stop or job exit; published from the namespace.
public struct WorkloadStoppedEvent: NexEvent {
    public static let eventName = NexEventName.workloadStopped
    /// Set when the workload stopped because of an error; omitted otherwise.
    public var error: WorkloadStoppedEventError?
    public var id = ""
    public var metadata: [String: String]?
    public var namespace = ""
    public var workloadType = ""

    public init() {}

    public init(
        id: String, namespace: String, workloadType: String, metadata: [String: String]? = nil,
        error: WorkloadStoppedEventError? = nil
    ) {
        self.id = id
        self.namespace = namespace
        self.workloadType = workloadType
        self.metadata = metadata
        self.error = error
    }

    public static let goFields: [GoField<Self>] = [
        .omitNil("error", \.error),
        .required("id", \.id),
        .omitEmpty("metadata", \.metadata),
        .required("namespace", \.namespace),
        .required("workload_type", \.workloadType),
    ]
}

/// `WORKLOADTRIGGERED`: after each function trigger; published from the namespace.
public struct WorkloadTriggeredEvent: NexEvent {
    public static let eventName = NexEventName.workloadTriggered
    /// Execution time in milliseconds.
    public var duration: Double = 0
    public var id = ""
    public var namespace = ""

    public init() {}

    public init(id: String, namespace: String, duration: Double) {
        self.id = id
        self.namespace = namespace
        self.duration = duration
    }

    public static let goFields: [GoField<Self>] = [
        .required("duration", \.duration),
        .required("id", \.id),
        .required("namespace", \.namespace),
    ]
}
