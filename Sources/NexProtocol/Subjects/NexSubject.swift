/// Well-known names of the protocol.
public enum NexConstants {
    /// The administrative namespace.
    public static let systemNamespace = "system"
    /// The default nexus name.
    public static let defaultNexus = "nexus"
    /// The default node name.
    public static let defaultNodeName = "nexnode"
    /// The node's micro service name.
    public static let nodeServiceName = "nexnode"
    /// The default node version.
    public static let defaultVersion = "0.0.0"
    /// The message an agent's STOPWORKLOAD failure carries in its body.
    public static let workloadNotFound = GenericError.workloadNotFound.rawValue
}

/// The control verbs under `$NEX.SVC.<ns>.control.`.
public enum ControlVerb: String, Sendable, CaseIterable {
    case placementTags = "PTAGS"
    case ping = "PING"
    case info = "INFO"
    case lameduck = "LAMEDUCK"
    case agentID = "AGENTID"
    case auction = "AUCTION"
    case auctionDeploy = "ADEPLOY"
    case undeploy = "UNDEPLOY"
    case clone = "CLONE"
    case workloadPing = "WPING"
    case heartbeat = "HEARTBEAT"
}

/// Which output stream of a workload (or node) a log line came from.
public enum LogStream: String, Sendable, CaseIterable {
    case stdout
    case stderr
}

/// Builders for the concrete subjects a requester or publisher uses (protocol.md §1.1–§1.3). Arguments are
/// not validated here; check untrusted names with ``SubjectToken`` first.
public enum NexSubject {
    static let service = "$NEX.SVC"
    static let feed = "$NEX.FEED"

    // MARK: Node control plane (client → node)

    /// `$NEX.SVC.<ns>.control.<VERB>[.<target>]`.
    public static func control(_ namespace: String, _ verb: ControlVerb, _ target: String? = nil) -> String {
        let base = "\(service).\(namespace).control.\(verb.rawValue)"
        return target.map { "\(base).\($0)" } ?? base
    }

    /// `$NEX.SVC.<ns>.control.PTAGS`
    public static func placementTags(namespace: String) -> String { control(namespace, .placementTags) }
    /// `$NEX.SVC.<ns>.control.PING`
    public static func ping(namespace: String) -> String { control(namespace, .ping) }
    /// `$NEX.SVC.<ns>.control.PING.<nodeId>`
    public static func pingNode(namespace: String, nodeID: String) -> String { control(namespace, .ping, nodeID) }
    /// `$NEX.SVC.<ns>.control.INFO.<nodeId>`
    public static func info(namespace: String, nodeID: String) -> String { control(namespace, .info, nodeID) }
    /// `$NEX.SVC.<ns>.control.LAMEDUCK.<nodeId>`
    public static func lameduck(namespace: String, nodeID: String) -> String { control(namespace, .lameduck, nodeID) }
    /// `$NEX.SVC.<ns>.control.AGENTID.<nodeId>`
    public static func agentID(namespace: String, nodeID: String) -> String { control(namespace, .agentID, nodeID) }
    /// `$NEX.SVC.<ns>.control.AUCTION`
    public static func auction(namespace: String) -> String { control(namespace, .auction) }
    /// `$NEX.SVC.<ns>.control.ADEPLOY.<bidId>`
    public static func auctionDeploy(namespace: String, bidID: String) -> String {
        control(namespace, .auctionDeploy, bidID)
    }
    /// `$NEX.SVC.<ns>.control.UNDEPLOY.<workloadId>`
    public static func undeploy(namespace: String, workloadID: String) -> String {
        control(namespace, .undeploy, workloadID)
    }
    /// `$NEX.SVC.<ns>.control.CLONE.<workloadId>`
    public static func clone(namespace: String, workloadID: String) -> String { control(namespace, .clone, workloadID) }
    /// `$NEX.SVC.<ns>.control.WPING` (list workloads)
    public static func workloadPing(namespace: String) -> String { control(namespace, .workloadPing) }
    /// `$NEX.SVC.<ns>.control.WPING.<workloadId>` (defined, nobody subscribes)
    public static func workloadPing(namespace: String, workloadID: String) -> String {
        control(namespace, .workloadPing, workloadID)
    }
    /// `$NEX.SVC.system.control.HEARTBEAT.<nodeId>` (the node's own heartbeat)
    public static func nodeHeartbeat(nodeID: String) -> String {
        control(NexConstants.systemNamespace, .heartbeat, nodeID)
    }

    // MARK: Agent registration and agent API

    /// `$NEX.SVC.<nexus>.agent.RREGISTER`
    public static func remoteRegister(nexus: String) -> String { "\(service).\(nexus).agent.RREGISTER" }
    /// `$NEX.SVC.<nodeId>.agent.REGISTER.<agentId>`
    public static func register(nodeID: String, agentID: String) -> String {
        "\(service).\(nodeID).agent.REGISTER.\(agentID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.HEARTBEAT.<agentId>`
    public static func agentHeartbeat(nodeID: String, agentID: String) -> String {
        "\(service).\(nodeID).agent.HEARTBEAT.\(agentID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.STARTWORKLOAD.<workloadId>` (agent id before the verb)
    public static func agentStartWorkload(nodeID: String, agentID: String, workloadID: String) -> String {
        "\(service).\(nodeID).agent.\(agentID).STARTWORKLOAD.\(workloadID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.STOPWORKLOAD.<workloadId>`
    public static func agentStopWorkload(nodeID: String, workloadID: String) -> String {
        "\(service).\(nodeID).agent.STOPWORKLOAD.\(workloadID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.GETWORKLOAD.<workloadId>`
    public static func agentGetWorkload(nodeID: String, workloadID: String) -> String {
        "\(service).\(nodeID).agent.GETWORKLOAD.\(workloadID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.QUERYWORKLOADS`
    public static func agentQueryWorkloads(nodeID: String) -> String { "\(service).\(nodeID).agent.QUERYWORKLOADS" }
    /// `$NEX.SVC.<nodeId>.agent.SETLAMEDUCK`
    public static func agentSetLameduck(nodeID: String) -> String { "\(service).\(nodeID).agent.SETLAMEDUCK" }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.PING`
    public static func agentPing(nodeID: String, agentID: String) -> String { "\(service).\(nodeID).agent.\(agentID).PING" }
    /// `$NEX.SVC.<nodeId>.agent.PING` (all agents of a node)
    public static func agentPingAll(nodeID: String) -> String { "\(service).\(nodeID).agent.PING" }
    /// `$NEX.SVC.<nexus>.agent.PINGWORKLOAD.<workloadId>` (ingress discovery)
    public static func pingWorkload(nexus: String, workloadID: String) -> String {
        "\(service).\(nexus).agent.PINGWORKLOAD.\(workloadID)"
    }

    // issue 12: agent identity
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.STOPWORKLOAD.<workloadId>` (one agent of our protocol)
    public static func agentStopWorkload(nodeID: String, agentID: String, workloadID: String) -> String {
        "\(service).\(nodeID).agent.\(agentID).STOPWORKLOAD.\(workloadID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.GETWORKLOAD.<workloadId>` (one agent of our protocol)
    public static func agentGetWorkload(nodeID: String, agentID: String, workloadID: String) -> String {
        "\(service).\(nodeID).agent.\(agentID).GETWORKLOAD.\(workloadID)"
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.QUERYWORKLOADS` (one agent of our protocol)
    public static func agentQueryWorkloads(nodeID: String, agentID: String) -> String {
        "\(service).\(nodeID).agent.\(agentID).QUERYWORKLOADS"
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.SETLAMEDUCK` (one agent of our protocol)
    public static func agentSetLameduck(nodeID: String, agentID: String) -> String {
        "\(service).\(nodeID).agent.\(agentID).SETLAMEDUCK"
    }

    // MARK: Feeds

    /// `$NEX.FEED.<from>.events.<NAME>` (`from` = node id for node/agent events, namespace for workload events)
    public static func event(from: String, name: NexEventName) -> String { "\(feed).\(from).events.\(name.rawValue)" }
    /// `$NEX.FEED.<agentId>.events.INGRESS`
    public static func ingress(agentID: String) -> String { "\(feed).\(agentID).events.INGRESS" }
    /// `$NEX.FEED.<agentId>.events` (the event-listener extension's exact subject)
    public static func eventListener(agentID: String) -> String { "\(feed).\(agentID).events" }
    /// `$NEX.FEED.<ns>.logs.<workloadId>.stdout|stderr`
    public static func logs(namespace: String, workloadID: String, stream: LogStream) -> String {
        "\(feed).\(namespace).logs.\(workloadID).\(stream.rawValue)"
    }
    /// `$NEX.FEED.<ns>.metrics.<workloadId>`
    public static func metrics(namespace: String, workloadID: String) -> String {
        "\(feed).\(namespace).metrics.\(workloadID)"
    }
    /// `$NEX.FEED.system.logs.<nodeId>.stdout|stderr` (node self-logs)
    public static func nodeLogs(nodeID: String, stream: LogStream) -> String {
        logs(namespace: NexConstants.systemNamespace, workloadID: nodeID, stream: stream)
    }
}
