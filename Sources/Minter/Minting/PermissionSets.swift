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

/// Which nexlet protocol an agent speaks, and so which subjects its credential holds (decisions.md §7).
public enum AgentProfile: String, Sendable, Equatable {
    /// A nexlet built on our SDK: it proves its identity at REGISTER, uses its private inbox and answers
    /// STOPWORKLOAD / GETWORKLOAD / QUERYWORKLOADS / SETLAMEDUCK on subjects of its own
    /// (`$NEX.SVC.<node>.agent.<agentId>.<VERB>…`), so no agent can answer for another.
    case current
    /// A nexlet of the Go reference SDK: it subscribes the node-wide agent subjects and uses the default
    /// `_INBOX.` prefix. Its credential holds those grants; workloads never do.
    case legacy
}

/// The permissions of the three credential kinds of the signing-key strategy (decisions.md §4, §7).
///
/// Unlike the Go reference, these match the subjects the protocol actually uses (protocol.md §1): agents
/// publish feeds under the *namespace* token, and workloads can talk inside their own namespace. Every id and
/// namespace is checked to be one literal subject token, so no caller-chosen value can widen a permission.
///
/// No credential holds `_INBOX.>` unless asked for a legacy (Go) nexlet: each identity receives replies on
/// its own prefix (`inboxPrefix(for:)`), and answers requests through the response permission alone, so
/// nobody can read or forge another identity's replies.
public enum PermissionSets {
    /// Replies go to the requester's inbox through the response permission: nats-server tracks the reply
    /// subjects a user received and allows one reply each.
    public static let singleResponse = ResponsePermission(maxMessages: 1)

    /// The wide inbox grant the Go SDK needs (its connections use the default `_INBOX.` prefix).
    public static let legacyInbox = "_INBOX.>"

    /// The private inbox prefix of a minted identity (an agent id or a workload id): `_INBOX_<id>`. Its
    /// connections create inboxes `_INBOX_<id>.<nuid>`, and only it may subscribe `_INBOX_<id>.>`.
    public static func inboxPrefix(for identity: String) -> String {
        "_INBOX_\(identity)"
    }

    /// The subscribe grant that goes with `inboxPrefix(for:)`.
    public static func inbox(for identity: String) -> String {
        "\(inboxPrefix(for: identity)).>"
    }

    /// Registration credential: request `$NEX.SVC.<node>.agent.REGISTER.<agent>` and read the reply on the
    /// agent's private inbox (and on `_INBOX.>` when `legacyInbox`, for Go nexlets).
    public static func registration(agentID: String, nodeID: String, legacyInbox: Bool = false) throws(MinterError) -> Permissions {
        try MintedSubject.validate(agentID, role: "agent id")
        try MintedSubject.validate(nodeID, role: "node id")
        return Permissions(
            pub: Permission(allow: ["$NEX.SVC.\(nodeID).agent.REGISTER.\(agentID)"]),
            sub: Permission(allow: [inbox(for: agentID)] + (legacyInbox ? [Self.legacyInbox] : [])))
    }

    /// Agent (nexlet) credential: heartbeat, the agent's endpoints on its node, workload feeds of every
    /// namespace (logs, metrics, events), its event-listener and ingress subjects, `$SRV` discovery and its
    /// inbox. Nothing under `$NEX.SVC.*.control`. A `.current` agent subscribes only subjects of its own id
    /// (plus the node-wide PING); a `.legacy` one also the node-wide verbs and `_INBOX.>`.
    /// `extraSubscribe`/`extraPublish` carry grants decided elsewhere (object-store reads).
    public static func agent(
        agentID: String, nodeID: String, nexus: String, profile: AgentProfile = .current,
        extraPublish: [String] = [], extraSubscribe: [String] = []
    ) throws(MinterError) -> Permissions {
        try MintedSubject.validate(agentID, role: "agent id")
        try MintedSubject.validate(nodeID, role: "node id")
        try MintedSubject.validate(nexus, role: "nexus")
        for subject in extraPublish + extraSubscribe { try MintedSubject.validateSubject(subject) }
        let node = "$NEX.SVC.\(nodeID).agent"
        let own = [
            "\(node).\(agentID).STARTWORKLOAD.*",
            "\(node).\(agentID).PING",
        ]
        let verbs = profile == .current
            ? [
                "\(node).\(agentID).STOPWORKLOAD.*",
                "\(node).\(agentID).GETWORKLOAD.*",
                "\(node).\(agentID).QUERYWORKLOADS",
                "\(node).\(agentID).SETLAMEDUCK",
                "\(node).PING",
            ]
            : [
                "\(node).STOPWORKLOAD.*",
                "\(node).GETWORKLOAD.*",
                "\(node).QUERYWORKLOADS",
                "\(node).PING",
                "\(node).SETLAMEDUCK",
            ]
        let inboxes = [inbox(for: agentID)] + (profile == .legacy ? [legacyInbox] : [])
        return Permissions(
            pub: Permission(allow: unique([
                "\(node).HEARTBEAT.\(agentID)",
                "$NEX.FEED.*.logs.>",
                "$NEX.FEED.*.metrics.>",
                "$NEX.FEED.*.events.>",
            ] + extraPublish)),
            sub: Permission(allow: unique(own + verbs + [
                "$NEX.SVC.\(nexus).agent.PINGWORKLOAD.*",
                "$NEX.FEED.\(agentID).events",
                "$SRV.>",
            ] + inboxes + extraSubscribe)),
            resp: singleResponse)
    }

    /// Workload credential: publish and subscribe inside `<namespace>.>`, its private inbox, the namespace's
    /// log feed, plus the namespace's extra allow list. Replies to requests it receives go out through the
    /// response permission; no publish on any inbox.
    public static func workload(namespace: String, workloadID: String, extra: ExtraAllow = ExtraAllow()) throws(MinterError) -> Permissions {
        try MintedSubject.validate(namespace, role: "namespace")
        try MintedSubject.validate(workloadID, role: "workload id")
        for subject in extra.pub + extra.sub { try MintedSubject.validateSubject(subject) }
        return Permissions(
            pub: Permission(allow: unique(["\(namespace).>"] + extra.pub)),
            sub: Permission(allow: unique(["\(namespace).>", "$NEX.FEED.\(namespace).logs.>", inbox(for: workloadID)] + extra.sub)),
            resp: singleResponse)
    }

    // issue 12: object-store permissions
    /// What reading objects of `bucket` needs (stream `OBJ_<bucket>`), exactly the calls NATSKit's object-store
    /// reader makes with libnats 3.4.1: the metadata through `STREAM.MSG.GET`
    /// (`$JS.API.STREAM.MSG.GET.OBJ_<bucket>`), the chunks through an ordered push consumer
    /// (`$JS.API.CONSUMER.CREATE.OBJ_<bucket>`, `$JS.API.CONSUMER.DELETE.OBJ_<bucket>.*` when it ends or is
    /// recreated) and its flow-control replies (`$JS.FC.OBJ_<bucket>.>`). Replies and chunks arrive on the reader's private
    /// inbox, which it already holds. Nothing that writes, purges or deletes the bucket.
    /// `bucket` must be one literal subject token.
    public static func objectStoreRead(bucket: String) throws(MinterError) -> (publish: [String], subscribe: [String]) {
        try MintedSubject.validate(bucket, role: "artifact bucket")
        let bucketCharacters = bucket.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
            default: false
            }
        }
        guard bucketCharacters else {
            throw .invalidSubjectToken(role: "artifact bucket", value: bucket, reason: "may contain only letters, digits, '_' and '-'")
        }
        let stream = "OBJ_\(bucket)"
        return (
            publish: [
                "$JS.API.STREAM.MSG.GET.\(stream)",
                "$JS.API.CONSUMER.CREATE.\(stream)",
                "$JS.API.CONSUMER.DELETE.\(stream).*",
                "$JS.FC.\(stream).>",
            ],
            subscribe: [])
    }

    private static func unique(_ subjects: [String]) -> [String] {
        var seen = Set<String>()
        return subjects.filter { seen.insert($0).inserted }
    }
}
