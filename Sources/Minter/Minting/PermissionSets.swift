/// Extra subjects a namespace's workloads may use, on top of the fixed workload set (from the node config).
public struct ExtraAllow: Sendable, Equatable {
    /// Extra publish subjects.
    public var pub: [String]
    /// Extra subscribe subjects.
    public var sub: [String]

    public init(pub: [String] = [], sub: [String] = []) {
        self.pub = pub
        self.sub = sub
    }

    /// The same subjects for publish and subscribe.
    public init(both subjects: [String]) {
        self.init(pub: subjects, sub: subjects)
    }
}

/// The permissions of the three credential kinds of the signing-key strategy (decisions.md §4).
///
/// Unlike the Go reference, these match the subjects the protocol actually uses (protocol.md §1): agents
/// publish feeds under the *namespace* token, and workloads can talk inside their own namespace. Every id and
/// namespace is checked to be one literal subject token, so no caller-chosen value can widen a permission.
public enum PermissionSets {
    /// Replies go to the requester's inbox: `_INBOX.>` publish, plus `resp` for requesters with another
    /// inbox prefix (nats-server tracks the reply subjects a user received and allows one reply each).
    public static let singleResponse = ResponsePermission(maxMessages: 1)

    /// Registration credential: request `$NEX.SVC.<node>.agent.REGISTER.<agent>` and read the reply.
    public static func registration(agentID: String, nodeID: String) throws(MinterError) -> Permissions {
        try SubjectToken.validate(agentID, role: "agent id")
        try SubjectToken.validate(nodeID, role: "node id")
        return Permissions(
            pub: Permission(allow: ["$NEX.SVC.\(nodeID).agent.REGISTER.\(agentID)"]),
            sub: Permission(allow: ["_INBOX.>"]))
    }

    /// Agent (nexlet) credential: heartbeat, the agent's endpoints on its node, workload feeds of every
    /// namespace (logs, metrics, events), its event-listener subject, `$SRV` discovery and inboxes.
    /// Nothing under `$NEX.SVC.*.control`.
    public static func agent(agentID: String, nodeID: String, nexus: String) throws(MinterError) -> Permissions {
        try SubjectToken.validate(agentID, role: "agent id")
        try SubjectToken.validate(nodeID, role: "node id")
        try SubjectToken.validate(nexus, role: "nexus")
        let node = "$NEX.SVC.\(nodeID).agent"
        return Permissions(
            pub: Permission(allow: [
                "\(node).HEARTBEAT.\(agentID)",
                "$NEX.FEED.*.logs.>",
                "$NEX.FEED.*.metrics.>",
                "$NEX.FEED.*.events.>",
                "_INBOX.>",
            ]),
            sub: Permission(allow: [
                "\(node).\(agentID).STARTWORKLOAD.*",
                "\(node).\(agentID).PING",
                "\(node).STOPWORKLOAD.*",
                "\(node).GETWORKLOAD.*",
                "\(node).QUERYWORKLOADS",
                "\(node).PING",
                "\(node).SETLAMEDUCK",
                "$NEX.SVC.\(nexus).agent.PINGWORKLOAD.*",
                "$NEX.FEED.\(agentID).events",
                "$SRV.>",
                "_INBOX.>",
            ]),
            resp: singleResponse)
    }

    /// Workload credential: publish and subscribe inside `<namespace>.>` and inboxes, read the namespace's
    /// log feed, plus the namespace's extra allow list.
    public static func workload(namespace: String, extra: ExtraAllow = ExtraAllow()) throws(MinterError) -> Permissions {
        try SubjectToken.validate(namespace, role: "namespace")
        for subject in extra.pub + extra.sub { try SubjectToken.validateSubject(subject) }
        return Permissions(
            pub: Permission(allow: unique(["\(namespace).>", "_INBOX.>"] + extra.pub)),
            sub: Permission(allow: unique(["\(namespace).>", "$NEX.FEED.\(namespace).logs.>", "_INBOX.>"] + extra.sub)),
            resp: singleResponse)
    }

    private static func unique(_ subjects: [String]) -> [String] {
        var seen = Set<String>()
        return subjects.filter { seen.insert($0).inserted }
    }
}
