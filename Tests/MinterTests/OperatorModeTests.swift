import Foundation
import Minter
import NATSKit
import NATSTestSupport
import OperatorTestSupport
import Testing

/// The signing-key strategy against a real nats-server in operator mode (decisions.md §4): every credential
/// can do its job, and the server rejects everything else.
@Suite struct OperatorModeTests {
    static let forbidden = Data("forbidden".utf8)
    static let sentinel = Data("sentinel".utf8)

    /// Publishes each subject with the `forbidden` payload, one at a time, and checks both sides of each
    /// rejection: the client gets a "not permitted" error and the server logs the violation with the subject.
    static func publishForbidden(_ subjects: [String], on connection: NatsConnection, as user: String,
                                 watch: ViolationWatch, env: OperatorEnvironment) async throws {
        for subject in subjects {
            try connection.publish(subject, payload: forbidden)
            #expect(try await watch.next().kind == .notPermitted)
            try await env.expectServerLogged("Publish", user: user, subject: subject)
        }
    }

    /// Subscribes to each subject and checks that the server rejects the subscription.
    static func subscribeForbidden(_ subjects: [String], on connection: NatsConnection, as user: String,
                                   watch: ViolationWatch, env: OperatorEnvironment) async throws -> [NatsSubscription] {
        var subscriptions: [NatsSubscription] = []
        for subject in subjects {
            subscriptions.append(try connection.subscribe(subject))
            #expect(try await watch.next().kind == .notPermitted)
            try await env.expectServerLogged("Subscription", user: user, subject: subject)
        }
        return subscriptions
    }

    static func user(of credentials: MintedCredentials) throws -> String {
        try KeyPair(seed: credentials.userSeed, expecting: .user).publicKey
    }

    @Test func registrationCredentialCanOnlyRequestItsRegisterSubject() async throws {
        let env = try await OperatorEnvironment.start()
        let register = "$NEX.SVC.\(env.nodeID).agent.REGISTER.agent1"
        let node = try await env.connectUnrestricted(name: "node")
        let observed = try node.subscribe("$NEX.SVC.>")
        let service = try node.subscribe("$NEX.SVC.\(env.nodeID).agent.REGISTER.*") { message in
            if message.replyTo != nil { try? node.respond(to: message, payload: Data("registered".utf8)) }
        }
        try await node.flush()

        let creds = try env.minter().mintRegistration(agentID: "agent1", nodeID: env.nodeID)
        let agent = try await env.connect(creds, name: "registration")
        let watch = ViolationWatch(agent)
        let reply = try await agent.request(register, payload: Data("{}".utf8), timeout: .seconds(5))
        #expect(reply.string == "registered")

        let forbiddenSubjects = [
            "$NEX.SVC.\(env.nodeID).agent.REGISTER.agent2", "$NEX.SVC.\(env.nodeID).agent.HEARTBEAT.agent1",
            "$NEX.SVC.system.control.PING", "$NEX.FEED.a.logs.w.stdout",
        ]
        try await Self.publishForbidden(forbiddenSubjects, on: agent, as: Self.user(of: creds), watch: watch, env: env)
        try agent.publish(register, payload: Self.sentinel)
        let seen = try await collect(observed, until: { $0.payload == Self.sentinel })
        #expect(seen.allSatisfy { $0.subject == register && $0.payload != Self.forbidden })
        service.unsubscribe()
    }

    @Test func agentCredentialServesItsEndpointsAndPublishesFeedsButNotControl() async throws {
        let env = try await OperatorEnvironment.start()
        let agentSubjects = "$NEX.SVC.\(env.nodeID).agent"
        let creds = try env.minter().mintAgent(agentID: "agent1", profile: .current)
        let agent = try await env.connect(creds, name: "agent")
        let watch = ViolationWatch(agent)
        let endpoints = try [
            "\(agentSubjects).agent1.STARTWORKLOAD.*", "\(agentSubjects).agent1.STOPWORKLOAD.*",
            "\(agentSubjects).agent1.QUERYWORKLOADS", "$NEX.SVC.\(env.nexus).agent.PINGWORKLOAD.*", "$SRV.PING",
        ].map { subject in
            try agent.subscribe(subject) { message in
                try? agent.respond(to: message, payload: Data("reply from \(message.subject)".utf8))
            }
        }
        try await agent.flush()

        let node = try await env.connectUnrestricted(name: "node")
        let everything = try node.subscribe(">")
        let customReplies = try node.subscribe("custom.replies.>")
        try await node.flush()
        for subject in ["\(agentSubjects).agent1.STARTWORKLOAD.w1", "\(agentSubjects).agent1.STOPWORKLOAD.w1",
                        "\(agentSubjects).agent1.QUERYWORKLOADS", "$NEX.SVC.\(env.nexus).agent.PINGWORKLOAD.w1", "$SRV.PING"] {
            let reply = try await node.request(subject, payload: Data("{}".utf8), timeout: .seconds(5))
            #expect(reply.string == "reply from \(subject)")
        }
        // A requester whose reply subject is not an inbox: the response permission covers it.
        try node.publish("\(agentSubjects).agent1.STARTWORKLOAD.w2", payload: Data("{}".utf8), replyTo: "custom.replies.1")
        let custom = try await collect(customReplies, until: { _ in true })
        #expect(custom.first?.string == "reply from \(agentSubjects).agent1.STARTWORKLOAD.w2")

        let allowed = [
            "\(agentSubjects).HEARTBEAT.agent1", "$NEX.FEED.a.logs.w1.stdout", "$NEX.FEED.b.logs.w2.stderr",
            "$NEX.FEED.a.metrics.w1", "$NEX.FEED.b.events.WORKLOADSTARTED", "$NEX.FEED.system.logs.n1.stdout",
        ]
        for subject in allowed { try agent.publish(subject, payload: Data("allowed".utf8)) }
        let forbiddenSubjects = [
            "$NEX.SVC.a.control.ADEPLOY.bid1", "$NEX.SVC.system.control.PING", "$NEX.SVC.system.control.LAMEDUCK.n1",
            "\(agentSubjects).HEARTBEAT.agent2", "\(agentSubjects).REGISTER.agent1", "a.x",
        ]
        try await Self.publishForbidden(forbiddenSubjects, on: agent, as: Self.user(of: creds), watch: watch, env: env)
        try agent.publish("\(agentSubjects).HEARTBEAT.agent1", payload: Self.sentinel)
        let seen = try await collect(everything, until: { $0.payload == Self.sentinel })
        #expect(Set(seen.filter { $0.string == "allowed" }.map(\.subject)) == Set(allowed))
        #expect(!seen.contains { $0.payload == Self.forbidden })

        // Another agent's endpoints, the node-wide verbs (a current agent answers only its own), the control
        // plane and other identities' inboxes cannot be subscribed.
        let denied = try await Self.subscribeForbidden(["\(agentSubjects).agent2.STARTWORKLOAD.*", "\(agentSubjects).STOPWORKLOAD.*",
                                                        "$NEX.SVC.*.control.>", "_INBOX.>", "_INBOX_agent2.>"],
                                                        on: agent, as: Self.user(of: creds), watch: watch, env: env)
        denied.forEach { $0.unsubscribe() }
        _ = endpoints
    }

    @Test func workloadCredentialIsConfinedToItsNamespace() async throws {
        let env = try await OperatorEnvironment.start()
        let creds = try env.minter().mintWorkload(namespace: "a", workloadID: "wa")
        let user = try Self.user(of: creds)
        let workload = try await env.connect(creds, name: "workload-a")
        let watch = ViolationWatch(workload)
        let inNamespace = try workload.subscribe("a.>")
        let ownLogs = try workload.subscribe("$NEX.FEED.a.logs.>")
        let service = try workload.subscribe("a.service") { message in
            try? workload.respond(to: message, payload: Data("pong".utf8))
        }
        try await workload.flush()

        let observer = try await env.connectUnrestricted()
        let everything = try observer.subscribe(">")
        try await observer.flush()

        // Allowed both ways inside namespace a, plus the namespace's log feed and request/reply.
        try workload.publish("a.greeting", payload: Data("hello".utf8))
        try observer.publish("a.news", payload: Data("news".utf8))
        try observer.publish("$NEX.FEED.a.logs.wa.stdout", payload: Data("log line".utf8))
        #expect(try await collect(inNamespace, until: { $0.subject == "a.news" }).last?.string == "news")
        #expect(try await collect(ownLogs, until: { _ in true }).first?.string == "log line")
        #expect(try await observer.request("a.service", timeout: .seconds(5)).string == "pong")
        let reply = try await workload.request("a.service", timeout: .seconds(5))
        #expect(reply.string == "pong")

        // Publishing into namespace b, b's log feed, or even a's log feed is rejected and never delivered.
        let forbiddenSubjects = ["b.x", "$NEX.FEED.b.logs.wb.stdout", "$NEX.FEED.a.logs.wa.stdout", "$NEX.SVC.a.control.AUCTION"]
        try await Self.publishForbidden(forbiddenSubjects, on: workload, as: user, watch: watch, env: env)
        try workload.publish("a.done", payload: Self.sentinel)
        let seen = try await collect(everything, until: { $0.payload == Self.sentinel })
        #expect(seen.contains { $0.subject == "a.greeting" })
        #expect(!seen.contains { $0.payload == Self.forbidden })

        // Subscribing to namespace b or its log feed is rejected, and b's traffic never arrives.
        let denied = try await Self.subscribeForbidden(["b.>", "$NEX.FEED.b.logs.>"], on: workload, as: user, watch: watch, env: env)
        try observer.publish("b.secret", payload: Data("secret".utf8))
        try observer.publish("$NEX.FEED.b.logs.wb.stdout", payload: Data("secret log".utf8))
        // Anything the server had sent to the workload would precede this reply on the same socket.
        #expect(try await observer.request("a.service", timeout: .seconds(5)).string == "pong")
        for subscription in denied {
            #expect(try await drainAndCollect(subscription).isEmpty)
        }
        service.unsubscribe()
    }

    @Test func perNamespaceExtraAllowList() async throws {
        let env = try await OperatorEnvironment.start()
        let minter = try env.minter(extra: ["a": ExtraAllow(pub: ["shared.requests"], sub: ["shared.events.>"])])
        let workload = try await env.connect(try minter.mintWorkload(namespace: "a", workloadID: "wa"), name: "workload-a")
        let events = try workload.subscribe("shared.events.>")
        try await workload.flush()
        let observer = try await env.connectUnrestricted()
        let requests = try observer.subscribe("shared.requests")
        try await observer.flush()
        try workload.publish("shared.requests", payload: Data("r".utf8))
        try observer.publish("shared.events.x", payload: Data("e".utf8))
        #expect(try await collect(requests, until: { _ in true }).first?.string == "r")
        #expect(try await collect(events, until: { _ in true }).first?.string == "e")

        // Namespace b has no extras.
        let otherCreds = try minter.mintWorkload(namespace: "b", workloadID: "wb")
        let other = try await env.connect(otherCreds, name: "workload-b")
        try await Self.publishForbidden(["shared.requests"], on: other, as: Self.user(of: otherCreds),
                                        watch: ViolationWatch(other), env: env)
    }

    @Test func expiredJWTIsRefused() async throws {
        let env = try await OperatorEnvironment.start()
        let twoHoursAgo = Date().addingTimeInterval(-7200)
        let expired = try env.minter(validity: .seconds(60), clock: { twoHoursAgo }).mintAgent(agentID: "agent1", profile: .current)
        #expect(throws: JWTError.self) { try UserClaims.decode(expired.userJWT) }
        await #expect {
            try await env.connect(expired, name: "expired")
        } throws: { error in
            (error as? NatsError)?.kind == .authenticationFailed
        }
        // The same minter with a current clock works.
        let current = try env.minter(validity: .seconds(60)).mintAgent(agentID: "agent1", profile: .current)
        await (try await env.connect(current, name: "current")).close()
    }

    @Test func wrongSeedIsRefused() async throws {
        let env = try await OperatorEnvironment.start()
        let minter = try env.minter()
        let first = try minter.mintWorkload(namespace: "a", workloadID: "w1")
        let second = try minter.mintWorkload(namespace: "a", workloadID: "w2")
        await #expect {
            try await env.connect(jwt: first.userJWT, seed: second.userSeed, name: "wrong-seed")
        } throws: { error in
            (error as? NatsError)?.kind == .authenticationFailed
        }
    }

    @Test func unknownSigningKeyIsRefused() async throws {
        let env = try await OperatorEnvironment.start()
        let rogue = try KeyPair.generate(.account)
        let minter = try SigningKeyMinter(signingSeed: rogue.seed ?? "", rootAccount: env.account.publicKey,
                                          nodeID: env.nodeID, nexus: env.nexus, servers: [env.server.url])
        await #expect {
            try await env.connect(try minter.mintAgent(agentID: "agent1", profile: .current), name: "rogue")
        } throws: { error in
            (error as? NatsError)?.kind == .authenticationFailed
        }
    }

    @Test func rootAccountKeyCanSignWithIssuerAccountSet() async throws {
        try await withTeardown { teardown in
            // The Go reference always sets issuer_account, also when the signing seed is the root account itself.
            let env = try await OperatorEnvironment.start()
            let minter = try SigningKeyMinter(signingSeed: env.account.seed ?? "", rootAccount: env.account.publicKey,
                                              nodeID: env.nodeID, nexus: env.nexus, servers: [env.server.url])
            let creds = try minter.mintWorkload(namespace: "a", workloadID: "w1")
            #expect(try UserClaims.decode(creds.userJWT).issuerAccount == env.account.publicKey)
            let connection = try await env.connect(creds, name: "root-signed")
            teardown.add { await connection.close() }
            try connection.publish("a.x")
            try await connection.flush()
        }
    }

    @Test func accountJWTEnablesJetStream() async throws {
        try await withTeardown { teardown in
            let env = try await OperatorEnvironment.start()
            let connection = try await env.connectUnrestricted(name: "node")
            teardown.add { await connection.close() }
            let kv = try await JetStream(connection).createKeyValue(KeyValueConfig(bucket: "nex-state"))
            _ = try await kv.put("native_w1", Data("{}".utf8))
            #expect(try await kv.get("native_w1")?.value == Data("{}".utf8))
        }
    }
}
