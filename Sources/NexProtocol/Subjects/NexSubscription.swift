/// The subjects (mostly wildcards) that nodes, agents and feed consumers subscribe to.
public enum NexSubscription {
    private static let service = NexSubject.service
    private static let system = NexConstants.systemNamespace

    // MARK: Node endpoints (queue group = node id unless noted)

    /// `$NEX.SVC.system.control.PTAGS`
    public static let placementTags = NexSubject.placementTags(namespace: system)
    /// `$NEX.SVC.system.control.PING`
    public static let ping = NexSubject.ping(namespace: system)
    /// `$NEX.SVC.system.control.PING.<nodeId>`
    public static func pingNode(nodeID: String) -> String { NexSubject.pingNode(namespace: system, nodeID: nodeID) }
    /// `$NEX.SVC.system.control.INFO.<nodeId>`
    public static func info(nodeID: String) -> String { NexSubject.info(namespace: system, nodeID: nodeID) }
    /// `$NEX.SVC.system.control.LAMEDUCK.<nodeId>`
    public static func lameduck(nodeID: String) -> String { NexSubject.lameduck(namespace: system, nodeID: nodeID) }
    /// `$NEX.SVC.system.control.AGENTID.<nodeId>`
    public static func agentID(nodeID: String) -> String { NexSubject.agentID(namespace: system, nodeID: nodeID) }
    /// `$NEX.SVC.*.control.AUCTION`
    public static let auction = NexSubject.control("*", .auction)
    /// `$NEX.SVC.*.control.ADEPLOY.*`
    public static let auctionDeploy = NexSubject.control("*", .auctionDeploy, "*")
    /// `$NEX.SVC.*.control.UNDEPLOY.*`
    public static let undeploy = NexSubject.control("*", .undeploy, "*")
    /// `$NEX.SVC.*.control.CLONE.*`
    public static let clone = NexSubject.control("*", .clone, "*")
    /// `$NEX.SVC.*.control.WPING`
    public static let workloadPing = NexSubject.control("*", .workloadPing)
    /// `$NEX.SVC.*.control.WPING.*` (defined, not subscribed by the reference)
    public static let workloadPingByID = NexSubject.control("*", .workloadPing, "*")
    /// `$NEX.SVC.system.control.HEARTBEAT.*` (every node's heartbeat)
    public static let nodeHeartbeats = NexSubject.control(system, .heartbeat, "*")
    /// `$NEX.SVC.<nexus>.agent.RREGISTER` (queue group = nexus)
    public static func remoteRegister(nexus: String) -> String { NexSubject.remoteRegister(nexus: nexus) }
    /// `$NEX.SVC.<nodeId>.agent.REGISTER.*`
    public static func register(nodeID: String) -> String { NexSubject.register(nodeID: nodeID, agentID: "*") }
    /// `$NEX.SVC.<nodeId>.agent.HEARTBEAT.<agentId>` (plain subscription, one per agent)
    public static func agentHeartbeat(nodeID: String, agentID: String) -> String {
        NexSubject.agentHeartbeat(nodeID: nodeID, agentID: agentID)
    }

    // MARK: Agent endpoints (queue group = agent id)

    /// `$NEX.SVC.<nodeId>.agent.<agentId>.STARTWORKLOAD.*`
    public static func agentStartWorkload(nodeID: String, agentID: String) -> String {
        NexSubject.agentStartWorkload(nodeID: nodeID, agentID: agentID, workloadID: "*")
    }
    /// `$NEX.SVC.<nodeId>.agent.STOPWORKLOAD.*`
    public static func agentStopWorkload(nodeID: String) -> String {
        NexSubject.agentStopWorkload(nodeID: nodeID, workloadID: "*")
    }
    /// `$NEX.SVC.<nodeId>.agent.GETWORKLOAD.*`
    public static func agentGetWorkload(nodeID: String) -> String {
        NexSubject.agentGetWorkload(nodeID: nodeID, workloadID: "*")
    }
    /// `$NEX.SVC.<nodeId>.agent.QUERYWORKLOADS`
    public static func agentQueryWorkloads(nodeID: String) -> String { NexSubject.agentQueryWorkloads(nodeID: nodeID) }
    /// `$NEX.SVC.<nodeId>.agent.SETLAMEDUCK`
    public static func agentSetLameduck(nodeID: String) -> String { NexSubject.agentSetLameduck(nodeID: nodeID) }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.PING`
    public static func agentPing(nodeID: String, agentID: String) -> String {
        NexSubject.agentPing(nodeID: nodeID, agentID: agentID)
    }
    /// `$NEX.SVC.<nodeId>.agent.PING`
    public static func agentPingAll(nodeID: String) -> String { NexSubject.agentPingAll(nodeID: nodeID) }
    /// `$NEX.SVC.<nexus>.agent.PINGWORKLOAD.*`
    public static func pingWorkload(nexus: String) -> String { NexSubject.pingWorkload(nexus: nexus, workloadID: "*") }
    /// `$NEX.FEED.<agentId>.events` (exact, no wildcard)
    public static func eventListener(agentID: String) -> String { NexSubject.eventListener(agentID: agentID) }

    // issue 12: agent identity
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.STOPWORKLOAD.*`
    public static func agentStopWorkload(nodeID: String, agentID: String) -> String {
        NexSubject.agentStopWorkload(nodeID: nodeID, agentID: agentID, workloadID: "*")
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.GETWORKLOAD.*`
    public static func agentGetWorkload(nodeID: String, agentID: String) -> String {
        NexSubject.agentGetWorkload(nodeID: nodeID, agentID: agentID, workloadID: "*")
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.QUERYWORKLOADS`
    public static func agentQueryWorkloads(nodeID: String, agentID: String) -> String {
        NexSubject.agentQueryWorkloads(nodeID: nodeID, agentID: agentID)
    }
    /// `$NEX.SVC.<nodeId>.agent.<agentId>.SETLAMEDUCK`
    public static func agentSetLameduck(nodeID: String, agentID: String) -> String {
        NexSubject.agentSetLameduck(nodeID: nodeID, agentID: agentID)
    }

    // MARK: Feed consumers

    /// `$NEX.FEED.<from>.events.*`
    public static func events(from: String) -> String { "\(NexSubject.feed).\(from).events.*" }
    /// `$NEX.FEED.<ns>.logs.>`
    public static func logs(namespace: String) -> String { "\(NexSubject.feed).\(namespace).logs.>" }
    /// `$NEX.FEED.<ns>.logs.<workloadId>.*`
    public static func logs(namespace: String, workloadID: String) -> String {
        "\(NexSubject.feed).\(namespace).logs.\(workloadID).*"
    }
    /// `$NEX.FEED.<ns>.metrics.*`
    public static func metrics(namespace: String) -> String { "\(NexSubject.feed).\(namespace).metrics.*" }
}

/// The `$SRV` discovery subjects of the NATS micro protocol.
public enum ServiceDiscovery {
    /// The three discovery verbs.
    public enum Verb: String, Sendable, CaseIterable {
        case ping = "PING"
        case info = "INFO"
        case stats = "STATS"

        /// The `type` of the reply (`io.nats.micro.v1.ping_response` ...).
        public var responseType: String { "io.nats.micro.v1.\(rawValue.lowercased())_response" }
    }

    /// `$SRV.<VERB>`, `$SRV.<VERB>.<name>` or `$SRV.<VERB>.<name>.<instanceId>`.
    public static func subject(_ verb: Verb, name: String? = nil, instanceID: String? = nil) -> String {
        var subject = "$SRV.\(verb.rawValue)"
        if let name {
            subject += ".\(name)"
            if let instanceID { subject += ".\(instanceID)" }
        }
        return subject
    }

    /// The nine subjects a service subscribes to (three per verb).
    public static func subscriptions(name: String, instanceID: String) -> [String] {
        Verb.allCases.flatMap { verb in
            [subject(verb), subject(verb, name: name), subject(verb, name: name, instanceID: instanceID)]
        }
    }
}
