import Testing
@testable import Minter

@Suite struct PermissionSetTests {
    static let node = "NB4XOM2IOV2NRLRZZU5PFMQFBAQXYQOG4WOVGOWRYJRBWI3JO5QJK7AG"

    @Test func registration() throws {
        let permissions = try PermissionSets.registration(agentID: "agent1", nodeID: Self.node)
        #expect(permissions.pub == Permission(allow: ["$NEX.SVC.\(Self.node).agent.REGISTER.agent1"]))
        #expect(permissions.sub == Permission(allow: ["_INBOX_agent1.>"]))
        #expect(permissions.resp == nil)
        let legacy = try PermissionSets.registration(agentID: "agent1", nodeID: Self.node, legacyInbox: true)
        #expect(legacy.sub == Permission(allow: ["_INBOX_agent1.>", "_INBOX.>"]))
        #expect(legacy.pub == permissions.pub)
    }

    @Test func inboxPrefixIsPerIdentity() {
        #expect(PermissionSets.inboxPrefix(for: "w1") == "_INBOX_w1")
        #expect(PermissionSets.inbox(for: "w1") == "_INBOX_w1.>")
    }

    @Test func agent() throws {
        let permissions = try PermissionSets.agent(agentID: "agent1", nodeID: Self.node, nexus: "nexus")
        let node = "$NEX.SVC.\(Self.node).agent"
        #expect(permissions.pub.allow == [
            "\(node).HEARTBEAT.agent1", "$NEX.FEED.*.logs.>", "$NEX.FEED.*.metrics.>", "$NEX.FEED.*.events.>",
        ])
        #expect(permissions.sub.allow == [
            "\(node).agent1.STARTWORKLOAD.*", "\(node).agent1.PING", "\(node).agent1.STOPWORKLOAD.*",
            "\(node).agent1.GETWORKLOAD.*", "\(node).agent1.QUERYWORKLOADS", "\(node).agent1.SETLAMEDUCK", "\(node).PING",
            "$NEX.SVC.nexus.agent.PINGWORKLOAD.*", "$NEX.FEED.agent1.events", "$SRV.>", "_INBOX_agent1.>",
        ])
        #expect(permissions.pub.deny.isEmpty && permissions.sub.deny.isEmpty)
        #expect(permissions.resp == ResponsePermission(maxMessages: 1))
        #expect(!permissions.pub.allow.contains { $0.contains("control") || $0.hasPrefix("_INBOX") })

        let legacy = try PermissionSets.agent(agentID: "agent1", nodeID: Self.node, nexus: "nexus", profile: .legacy)
        #expect(legacy.pub.allow == permissions.pub.allow)
        #expect(legacy.sub.allow == [
            "\(node).agent1.STARTWORKLOAD.*", "\(node).agent1.PING", "\(node).STOPWORKLOAD.*", "\(node).GETWORKLOAD.*",
            "\(node).QUERYWORKLOADS", "\(node).PING", "\(node).SETLAMEDUCK", "$NEX.SVC.nexus.agent.PINGWORKLOAD.*",
            "$NEX.FEED.agent1.events", "$SRV.>", "_INBOX_agent1.>", "_INBOX.>",
        ])
    }

    // issue 12: object-store permissions
    @Test func objectStoreReadGrantsOnlyTheReadCallsOfOneBucket() throws {
        let grants = try PermissionSets.objectStoreRead(bucket: "bins")
        #expect(grants.publish == [
            "$JS.API.STREAM.MSG.GET.OBJ_bins", "$JS.API.CONSUMER.CREATE.OBJ_bins", "$JS.API.CONSUMER.DELETE.OBJ_bins.*",
            "$JS.FC.OBJ_bins.>",
        ])
        #expect(grants.subscribe.isEmpty)
        let agent = try PermissionSets.agent(agentID: "a1", nodeID: Self.node, nexus: "nexus",
                                             extraPublish: grants.publish, extraSubscribe: grants.subscribe)
        #expect(agent.pub.allow.suffix(4) == grants.publish[...])
        for bad in ["", "a.b", "*", ">", "$SYS", "a b", "a:b", "ä"] {
            #expect(throws: MinterError.self) { try PermissionSets.objectStoreRead(bucket: bad) }
        }
    }

    @Test func workload() throws {
        let plain = try PermissionSets.workload(namespace: "default", workloadID: "w")
        #expect(plain.pub.allow == ["default.>"])
        #expect(plain.sub.allow == ["default.>", "$NEX.FEED.default.logs.>", "_INBOX_w.>"])
        #expect(!plain.sub.allow.contains("$NEX.FEED.system.logs.>"))
        #expect(plain.resp == ResponsePermission(maxMessages: 1))

        let extra = try PermissionSets.workload(namespace: "a", workloadID: "w", extra: ExtraAllow(pub: ["shared.in", "_INBOX.>"], sub: ["shared.*.out"]))
        #expect(extra.pub.allow == ["a.>", "shared.in", "_INBOX.>"])
        #expect(extra.sub.allow == ["a.>", "$NEX.FEED.a.logs.>", "_INBOX_w.>", "shared.*.out"])
    }

    @Test(arguments: [
        ("", "must not be empty"), ("a.b", "must not contain '.'"), ("a>", "must not contain wildcards"),
        ("*", "must not contain wildcards"), ("$JS", "must not start with '$'"), ("a b", "must not contain whitespace or control characters"),
        ("a\tb", "must not contain whitespace or control characters"),
    ])
    func namespacesMustBeOneLiteralToken(namespace: String, reason: String) {
        #expect(throws: MinterError.invalidSubjectToken(role: "namespace", value: namespace, reason: reason)) {
            try PermissionSets.workload(namespace: namespace, workloadID: "w")
        }
    }

    @Test func idsAreCheckedToo() {
        #expect(throws: MinterError.invalidSubjectToken(role: "agent id", value: "x.>", reason: "must not contain '.'")) {
            try PermissionSets.agent(agentID: "x.>", nodeID: Self.node, nexus: "n")
        }
        #expect(throws: MinterError.invalidSubjectToken(role: "node id", value: "*", reason: "must not contain wildcards")) {
            try PermissionSets.registration(agentID: "a", nodeID: "*")
        }
    }

    @Test(arguments: ["", "a..b", ".a", "a.", "a b", "a.>.b", "a*", "a.b>"])
    func extraSubjectsMustBeValid(subject: String) {
        #expect(throws: MinterError.invalidSubject(subject)) {
            try PermissionSets.workload(namespace: "a", workloadID: "w", extra: ExtraAllow(both: [subject]))
        }
    }
}
