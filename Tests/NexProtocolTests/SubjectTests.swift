import NATSSubjects
import NexProtocol
import Testing

@Suite("Subjects")
struct SubjectTests {
    @Test("request-side builders (protocol.md §1.1–§1.3)")
    func builders() {
        #expect(NexSubject.placementTags(namespace: "user") == "$NEX.SVC.user.control.PTAGS")
        #expect(NexSubject.ping(namespace: "system") == "$NEX.SVC.system.control.PING")
        #expect(NexSubject.pingNode(namespace: "system", nodeID: "N1") == "$NEX.SVC.system.control.PING.N1")
        #expect(NexSubject.info(namespace: "system", nodeID: "N1") == "$NEX.SVC.system.control.INFO.N1")
        #expect(NexSubject.lameduck(namespace: "system", nodeID: "N1") == "$NEX.SVC.system.control.LAMEDUCK.N1")
        #expect(NexSubject.agentID(namespace: "system", nodeID: "N1") == "$NEX.SVC.system.control.AGENTID.N1")
        #expect(NexSubject.auction(namespace: "user") == "$NEX.SVC.user.control.AUCTION")
        #expect(NexSubject.auctionDeploy(namespace: "user", bidID: "B") == "$NEX.SVC.user.control.ADEPLOY.B")
        #expect(NexSubject.undeploy(namespace: "user", workloadID: "W") == "$NEX.SVC.user.control.UNDEPLOY.W")
        #expect(NexSubject.clone(namespace: "user", workloadID: "W") == "$NEX.SVC.user.control.CLONE.W")
        #expect(NexSubject.workloadPing(namespace: "user") == "$NEX.SVC.user.control.WPING")
        #expect(NexSubject.workloadPing(namespace: "user", workloadID: "W") == "$NEX.SVC.user.control.WPING.W")
        #expect(NexSubject.nodeHeartbeat(nodeID: "N1") == "$NEX.SVC.system.control.HEARTBEAT.N1")
        #expect(NexSubject.remoteRegister(nexus: "nexus") == "$NEX.SVC.nexus.agent.RREGISTER")
        #expect(NexSubject.register(nodeID: "N1", agentID: "A") == "$NEX.SVC.N1.agent.REGISTER.A")
        #expect(NexSubject.agentHeartbeat(nodeID: "N1", agentID: "A") == "$NEX.SVC.N1.agent.HEARTBEAT.A")
        #expect(NexSubject.agentStartWorkload(nodeID: "N1", agentID: "A", workloadID: "W")
                == "$NEX.SVC.N1.agent.A.STARTWORKLOAD.W")
        #expect(NexSubject.agentStopWorkload(nodeID: "N1", workloadID: "W") == "$NEX.SVC.N1.agent.STOPWORKLOAD.W")
        #expect(NexSubject.agentGetWorkload(nodeID: "N1", workloadID: "W") == "$NEX.SVC.N1.agent.GETWORKLOAD.W")
        #expect(NexSubject.agentQueryWorkloads(nodeID: "N1") == "$NEX.SVC.N1.agent.QUERYWORKLOADS")
        #expect(NexSubject.agentSetLameduck(nodeID: "N1") == "$NEX.SVC.N1.agent.SETLAMEDUCK")
        #expect(NexSubject.agentPing(nodeID: "N1", agentID: "A") == "$NEX.SVC.N1.agent.A.PING")
        #expect(NexSubject.agentPingAll(nodeID: "N1") == "$NEX.SVC.N1.agent.PING")
        #expect(NexSubject.pingWorkload(nexus: "nexus", workloadID: "W") == "$NEX.SVC.nexus.agent.PINGWORKLOAD.W")
        #expect(NexSubject.event(from: "N1", name: .nodeStarted) == "$NEX.FEED.N1.events.NODESTARTED")
        #expect(NexSubject.ingress(agentID: "A") == "$NEX.FEED.A.events.INGRESS")
        #expect(NexSubject.eventListener(agentID: "A") == "$NEX.FEED.A.events")
        #expect(NexSubject.logs(namespace: "user", workloadID: "W", stream: .stderr) == "$NEX.FEED.user.logs.W.stderr")
        #expect(NexSubject.metrics(namespace: "user", workloadID: "W") == "$NEX.FEED.user.metrics.W")
        #expect(NexSubject.nodeLogs(nodeID: "N1", stream: .stdout) == "$NEX.FEED.system.logs.N1.stdout")
    }

    @Test("subscribe-side subjects")
    func subscriptions() {
        #expect(NexSubscription.placementTags == "$NEX.SVC.system.control.PTAGS")
        #expect(NexSubscription.ping == "$NEX.SVC.system.control.PING")
        #expect(NexSubscription.pingNode(nodeID: "N1") == "$NEX.SVC.system.control.PING.N1")
        #expect(NexSubscription.info(nodeID: "N1") == "$NEX.SVC.system.control.INFO.N1")
        #expect(NexSubscription.lameduck(nodeID: "N1") == "$NEX.SVC.system.control.LAMEDUCK.N1")
        #expect(NexSubscription.agentID(nodeID: "N1") == "$NEX.SVC.system.control.AGENTID.N1")
        #expect(NexSubscription.auction == "$NEX.SVC.*.control.AUCTION")
        #expect(NexSubscription.auctionDeploy == "$NEX.SVC.*.control.ADEPLOY.*")
        #expect(NexSubscription.undeploy == "$NEX.SVC.*.control.UNDEPLOY.*")
        #expect(NexSubscription.clone == "$NEX.SVC.*.control.CLONE.*")
        #expect(NexSubscription.workloadPing == "$NEX.SVC.*.control.WPING")
        #expect(NexSubscription.workloadPingByID == "$NEX.SVC.*.control.WPING.*")
        #expect(NexSubscription.nodeHeartbeats == "$NEX.SVC.system.control.HEARTBEAT.*")
        #expect(NexSubscription.remoteRegister(nexus: "nx") == "$NEX.SVC.nx.agent.RREGISTER")
        #expect(NexSubscription.register(nodeID: "N1") == "$NEX.SVC.N1.agent.REGISTER.*")
        #expect(NexSubscription.agentStartWorkload(nodeID: "N1", agentID: "A") == "$NEX.SVC.N1.agent.A.STARTWORKLOAD.*")
        #expect(NexSubscription.agentStopWorkload(nodeID: "N1") == "$NEX.SVC.N1.agent.STOPWORKLOAD.*")
        #expect(NexSubscription.agentGetWorkload(nodeID: "N1") == "$NEX.SVC.N1.agent.GETWORKLOAD.*")
        #expect(NexSubscription.agentQueryWorkloads(nodeID: "N1") == "$NEX.SVC.N1.agent.QUERYWORKLOADS")
        #expect(NexSubscription.agentSetLameduck(nodeID: "N1") == "$NEX.SVC.N1.agent.SETLAMEDUCK")
        #expect(NexSubscription.agentPing(nodeID: "N1", agentID: "A") == "$NEX.SVC.N1.agent.A.PING")
        #expect(NexSubscription.agentPingAll(nodeID: "N1") == "$NEX.SVC.N1.agent.PING")
        #expect(NexSubscription.pingWorkload(nexus: "nx") == "$NEX.SVC.nx.agent.PINGWORKLOAD.*")
        #expect(NexSubscription.eventListener(agentID: "A") == "$NEX.FEED.A.events")
        #expect(NexSubscription.events(from: "N1") == "$NEX.FEED.N1.events.*")
        #expect(NexSubscription.logs(namespace: "user") == "$NEX.FEED.user.logs.>")
        #expect(NexSubscription.logs(namespace: "user", workloadID: "W") == "$NEX.FEED.user.logs.W.*")
        #expect(NexSubscription.metrics(namespace: "user") == "$NEX.FEED.user.metrics.*")
    }

    @Test("$SRV discovery subjects: nine per service")
    func serviceDiscovery() {
        let subjects = ServiceDiscovery.subscriptions(name: "nexnode", instanceID: "I")
        #expect(subjects == [
            "$SRV.PING", "$SRV.PING.nexnode", "$SRV.PING.nexnode.I",
            "$SRV.INFO", "$SRV.INFO.nexnode", "$SRV.INFO.nexnode.I",
            "$SRV.STATS", "$SRV.STATS.nexnode", "$SRV.STATS.nexnode.I",
        ])
        #expect(ServiceDiscovery.Verb.info.responseType == "io.nats.micro.v1.info_response")
    }

    @Test("control subjects parse back to namespace, verb and id", arguments: ControlVerb.allCases)
    func controlRoundTrip(_ verb: ControlVerb) throws {
        let needsTarget: Set<ControlVerb> = [.info, .lameduck, .agentID, .auctionDeploy, .undeploy, .clone, .heartbeat]
        let forbidsTarget: Set<ControlVerb> = [.placementTags, .auction]
        let withTarget = ControlSubject(NexSubject.control("user", verb, "T1"))
        let withoutTarget = ControlSubject(NexSubject.control("user", verb))
        if forbidsTarget.contains(verb) {
            #expect(withTarget == nil)
        } else {
            let parsed = try #require(withTarget)
            #expect(parsed.namespace == "user" && parsed.verb == verb && parsed.target == "T1")
        }
        if needsTarget.contains(verb) {
            #expect(withoutTarget == nil)
        } else {
            let parsed = try #require(withoutTarget)
            #expect(parsed.namespace == "user" && parsed.verb == verb && parsed.target == nil)
        }
    }

    @Test("malformed control subjects are nil", arguments: [
        "", "$NEX", "$NEX.SVC", "$NEX.SVC.user", "$NEX.SVC.user.control", "$NEX.SVC.user.control.FOO",
        "$NEX.SVC..control.AUCTION", "$NEX.SVC.*.control.AUCTION", "$NEX.SVC.user.control.ADEPLOY.*",
        "$NEX.SVC.user.control.ADEPLOY.a.b", "$NEX.SVC.user.agent.AUCTION", "NEX.SVC.user.control.AUCTION",
        "$NEX.FEED.user.control.AUCTION", "$NEX.SVC.user.control.UNDEPLOY.", "$NEX.SVC.us er.control.PING",
        "$NEX.SVC.user.control.auction",
    ])
    func malformedControl(_ subject: String) {
        #expect(ControlSubject(subject) == nil)
    }

    @Test("agent subjects parse", arguments: [
        ("$NEX.SVC.nx.agent.RREGISTER", "nx", AgentEndpoint.remoteRegister),
        ("$NEX.SVC.N1.agent.REGISTER.A", "N1", .register(agentID: "A")),
        ("$NEX.SVC.N1.agent.HEARTBEAT.A", "N1", .heartbeat(agentID: "A")),
        ("$NEX.SVC.N1.agent.A.STARTWORKLOAD.W", "N1", .startWorkload(agentID: "A", workloadID: "W")),
        ("$NEX.SVC.N1.agent.STOPWORKLOAD.W", "N1", .stopWorkload(workloadID: "W")),
        ("$NEX.SVC.N1.agent.GETWORKLOAD.W", "N1", .getWorkload(workloadID: "W")),
        ("$NEX.SVC.N1.agent.QUERYWORKLOADS", "N1", .queryWorkloads),
        ("$NEX.SVC.N1.agent.SETLAMEDUCK", "N1", .setLameduck),
        ("$NEX.SVC.N1.agent.PING", "N1", .ping(agentID: nil)),
        ("$NEX.SVC.N1.agent.A.PING", "N1", .ping(agentID: "A")),
        ("$NEX.SVC.nx.agent.PINGWORKLOAD.W", "nx", .pingWorkload(workloadID: "W")),
    ] as [(String, String, AgentEndpoint)])
    func agentSubjects(_ subject: String, _ scope: String, _ endpoint: AgentEndpoint) throws {
        let parsed = try #require(AgentSubject(subject))
        #expect(parsed.scope == scope)
        #expect(parsed.endpoint == endpoint)
    }

    @Test("malformed agent subjects are nil", arguments: [
        "$NEX.SVC.N1.agent", "$NEX.SVC.N1.agent.REGISTER", "$NEX.SVC.N1.agent.REGISTER.*",
        "$NEX.SVC.N1.agent.A.STARTWORKLOAD", "$NEX.SVC.N1.agent.STARTWORKLOAD.A.W", "$NEX.SVC.N1.agent.QUERYWORKLOADS.x",
        "$NEX.SVC.N1.control.REGISTER.A", "$NEX.SVC.N1.agent.A.B.C", "$NEX.SVC.N1.agent.HEARTBEAT.>",
    ])
    func malformedAgent(_ subject: String) {
        #expect(AgentSubject(subject) == nil)
    }

    @Test("feed subjects parse", arguments: [
        ("$NEX.FEED.N1.events.NODESTARTED", FeedSubject.event(from: "N1", name: "NODESTARTED")),
        ("$NEX.FEED.A.events.INGRESS", .ingress(agentID: "A")),
        ("$NEX.FEED.A.events", .eventListener(agentID: "A")),
        ("$NEX.FEED.user.logs.W.stdout", .logs(namespace: "user", workloadID: "W", stream: .stdout)),
        ("$NEX.FEED.system.logs.N1.stderr", .logs(namespace: "system", workloadID: "N1", stream: .stderr)),
        ("$NEX.FEED.user.metrics.W", .metrics(namespace: "user", workloadID: "W")),
    ] as [(String, FeedSubject)])
    func feedSubjects(_ subject: String, _ expected: FeedSubject) {
        #expect(FeedSubject(subject) == expected)
    }

    @Test("malformed feed subjects are nil", arguments: [
        "$NEX.FEED", "$NEX.FEED.user", "$NEX.FEED.user.logs.W", "$NEX.FEED.user.logs.W.stdin",
        "$NEX.FEED.user.metrics", "$NEX.FEED.user.events.*", "$NEX.FEED.user.other.W", "$NEX.SVC.user.logs.W.stdout",
    ])
    func malformedFeed(_ subject: String) {
        #expect(FeedSubject(subject) == nil)
    }

    @Test("single-token names", arguments: [
        ("user", true), ("system", true), ("NB4XOM2IOV2NRLRZZU5PFMQFBAQXYQOG4WOVGOWRYJRBWI3JO5QJK7AG", true),
        ("my-ns_1", true), ("ünïcode", true), ("", false), ("a.b", false), ("*", false), ("a>", false),
        ("a b", false), ("tab\t", false), ("nl\n", false), ("nbsp\u{00A0}", false), ("ctl\u{01}", false),
        ("$JS", false), ("$", false), ("a$", true),
    ] as [(String, Bool)])
    func tokens(_ name: String, _ valid: Bool) {
        #expect(SubjectToken.isValid(name) == valid)
        if valid {
            #expect(throws: Never.self) { try SubjectToken.validate(name, as: "namespace") }
        } else {
            #expect(throws: SubjectTokenError.self) { try SubjectToken.validate(name, as: "namespace") }
        }
    }

    @Test("token error texts")
    func tokenErrors() {
        #expect(throws: SubjectTokenError.empty(role: "namespace")) { try SubjectToken.validate("", as: "namespace") }
        #expect(SubjectTokenError.empty(role: "namespace").description == "namespace must not be empty")
        let dotted = SubjectTokenError.forbiddenCharacter(role: "nexus", name: "a.b", character: ".")
        #expect(dotted.description.contains("nexus \"a.b\" contains '.'"))
        let spaced = SubjectTokenError.forbiddenCharacter(role: "nexus", name: "a b", character: " ")
        #expect(spaced.description.contains("U+20"))
        #expect(throws: SubjectTokenError.systemPrefix(role: "namespace", name: "$SYS")) { try SubjectToken.validate("$SYS", as: "namespace") }
    }

    @Test("KV state names")
    func stateKeys() throws {
        #expect(StateKey.bucket(nodeID: "N1") == "nex-N1")
        #expect(StateKey.key(workloadType: "native", workloadID: "W1") == "native_W1")
        #expect(StateKey.prefix(workloadType: "nat") == "nat_")
        let parsed = try #require(StateKey.parse("my_type_W1"))
        #expect(parsed.workloadType == "my_type" && parsed.workloadID == "W1")
        #expect(StateKey.parse("noseparator") == nil)
        #expect(StateKey.parse("type_") == nil)
        let untyped = try #require(StateKey.parse("_W1"))
        #expect(untyped.workloadType == "" && untyped.workloadID == "W1")
    }

    @Test("header names and generic errors")
    func constants() {
        #expect(NexHeader.serviceError == "Nats-Service-Error")
        #expect(NexHeader.serviceErrorCode == "Nats-Service-Error-Code")
        #expect(NexHeader.agentID == "agentId")
        #expect(NexHeader.group == "synadia.com/group")
        #expect(NexHeader.namespace == "synadia.com/namespace")
        #expect(NexHeader.triggerWorkloadID == "workload_id")
        #expect(GenericError.workloadNotFound.rawValue == "workload not found")
        #expect(GenericError.namespaceNotFound.rawValue == "namespace not found")
        #expect(NexConstants.systemNamespace == "system")
    }
}
