/// An ingress message on `$NEX.FEED.<agentId>.events.INGRESS` (`AgentIngressMsg`).
public struct AgentIngressMsg: GoJSONObject {
    public var command = AgentIngressCommand.add
    /// `"<hostIP>:<port>"` for add, `""` for remove.
    public var upstream = ""
    public var workloadID = ""

    public init() {}

    public init(command: AgentIngressCommand, workloadID: String, upstream: String = "") {
        self.command = command
        self.workloadID = workloadID
        self.upstream = upstream
    }

    public static let goFields: [GoField<Self>] = [
        .required("command", \.command),
        .required("upstream", \.upstream),
        .required("workload_id", \.workloadID),
    ]
}

/// Ingress settings for an agent (`AgentIngressData`; defined, not used on the wire).
public struct AgentIngressData: GoJSONObject {
    /// IP address of the host machine (the nex node).
    public var hostMachineIPAddr = ""
    /// Subject ingress messages are published to.
    public var ingressReportingSubject = ""

    public init() {}

    public init(hostMachineIPAddr: String, ingressReportingSubject: String) {
        self.hostMachineIPAddr = hostMachineIPAddr
        self.ingressReportingSubject = ingressReportingSubject
    }

    public static let goFields: [GoField<Self>] = [
        .required("host_machine_ip_addr", \.hostMachineIPAddr),
        .required("ingress_reporting_subject", \.ingressReportingSubject),
    ]
}

/// The reply to `$NEX.SVC.<nexus>.agent.PINGWORKLOAD.<workloadId>` when the workload runs here:
/// `{"node_id":"<nodeId>"}` (agents stay silent otherwise).
public struct PingWorkloadResponse: GoJSONObject {
    public var nodeID = ""

    public init() {}

    public init(nodeID: String) {
        self.nodeID = nodeID
    }

    public static let goFields: [GoField<Self>] = [
        .required("node_id", \.nodeID),
    ]
}
