import Foundation
import Minter
import NATSKit
import NATSTestSupport
import OperatorTestSupport
import Synchronization
import Testing

// issue 12: private inboxes
/// Private inboxes in operator mode with the signing-key minter: each identity receives replies only on
/// `_INBOX_<id>`, nobody can read or forge another identity's replies, and request/reply still works inside a
/// namespace both ways.
extension OperatorModeTests {
    @Test func workloadsDoRequestReplyInsideTheirNamespaceOnPrivateInboxes() async throws {
        let env = try await OperatorEnvironment.start()
        let minter = try env.minter()
        let requesterCreds = try minter.mintWorkload(namespace: "a", workloadID: "wa1")
        let responderCreds = try minter.mintWorkload(namespace: "a", workloadID: "wa2")
        #expect(requesterCreds.inboxPrefix == "_INBOX_wa1")
        let requester = try await env.connect(requesterCreds, name: "wa1")
        let responder = try await env.connect(responderCreds, name: "wa2")
        let seenReplyTo = Mutex<[String]>([])
        let service = try responder.subscribe("a.echo") { message in
            seenReplyTo.withLock { $0.append(message.replyTo ?? "") }
            try? responder.respond(to: message, payload: message.payload)
        }
        try await responder.flush()

        let reply = try await requester.request("a.echo", payload: Data("ping".utf8), timeout: .seconds(5))
        #expect(reply.string == "ping")
        #expect(seenReplyTo.withLock { $0 }.allSatisfy { $0.hasPrefix("_INBOX_wa1.") })
        // The other direction, and scatter-gather.
        let back = try responder.subscribe("a.back") { message in try? responder.respond(to: message, payload: Data("ok".utf8)) }
        try await responder.flush()
        #expect(try await responder.request("a.back", timeout: .seconds(5)).string == "ok")
        let gathered = try await requester.requestMany("a.echo", payload: Data("all".utf8), options: ScatterGatherOptions(maxMessages: 1))
        #expect(gathered.replies.map(\.string) == ["all"])
        service.unsubscribe()
        back.unsubscribe()
    }

    @Test func aWorkloadCannotReadARegisterReplyOrAKVWatchMeantForOthers() async throws {
        let env = try await OperatorEnvironment.start()
        let minter = try env.minter()
        let register = "$NEX.SVC.\(env.nodeID).agent.REGISTER.agent1"
        let node = try await env.connectUnrestricted(name: "node", inboxPrefix: "_INBOX_node")
        let service = try node.subscribe(register) { message in
            try? node.respond(to: message, payload: Data("secret agent credentials".utf8))
        }
        let kv = try await JetStream(node).createKeyValue(KeyValueConfig(bucket: "state"))
        try await node.flush()

        let attackerCreds = try minter.mintWorkload(namespace: "a", workloadID: "wa")
        let attacker = try await env.connect(attackerCreds, name: "attacker")
        let watch = ViolationWatch(attacker)
        let taps = try await Self.subscribeForbidden(["_INBOX.>", "_INBOX_agent1.>", "_INBOX_node.>", ">"],
                                                     on: attacker, as: Self.user(of: attackerCreds), watch: watch, env: env)

        // The legitimate holders get their messages.
        let registration = try await env.connect(try minter.mintRegistration(agentID: "agent1", nodeID: env.nodeID), name: "agent1")
        #expect(try await registration.request(register, payload: Data("{}".utf8), timeout: .seconds(5)).string
                == "secret agent credentials")
        let watcher = try await kv.watch("native_w1")
        defer { watcher.stop() }
        _ = try await kv.put("native_w1", Data("desired workload".utf8))
        let delivered = try await withDeadline(.seconds(5), "KV watch delivery") { () -> KeyValueEntry? in
            for await update in watcher { if case .entry(let entry) = update { return entry } }
            return nil
        }
        #expect(delivered?.value == Data("desired workload".utf8))

        // Anything the server had sent to the attacker would precede this round trip's reply on its socket.
        let echo = try attacker.subscribe("a.echo") { message in try? attacker.respond(to: message, payload: Data()) }
        try await attacker.flush()
        _ = try await node.request("a.echo", timeout: .seconds(5))
        echo.unsubscribe()
        for tap in taps {
            #expect(try await drainAndCollect(tap).isEmpty)
        }
        service.unsubscribe()
    }

    @Test func aWorkloadCannotForgeRepliesIntoAnotherInbox() async throws {
        let env = try await OperatorEnvironment.start()
        let minter = try env.minter()
        let victimCreds = try minter.mintWorkload(namespace: "a", workloadID: "victim")
        let victim = try await env.connect(victimCreds, name: "victim")
        let forgerCreds = try minter.mintWorkload(namespace: "a", workloadID: "forger")
        let forger = try await env.connect(forgerCreds, name: "forger")
        let watch = ViolationWatch(forger)
        // The victim waits on its own inbox (as a pending request would).
        let pending = try victim.subscribe("_INBOX_victim.pending")
        try await victim.flush()

        try await Self.publishForbidden(["_INBOX_victim.pending", "_INBOX.pending", "_INBOX_node.pending"],
                                        on: forger, as: Self.user(of: forgerCreds), watch: watch, env: env)
        // The positive control: a legitimate reply reaches the victim's inbox, and it is the only message there.
        let node = try await env.connectUnrestricted(name: "node")
        try node.publish("_INBOX_victim.pending", payload: Self.sentinel)
        let received = try await collect(pending, until: { $0.payload == Self.sentinel })
        #expect(received.map(\.payload) == [Self.sentinel])

        // A responder may answer a request it received once, to that request's inbox only.
        let service = try forger.subscribe("a.service") { message in try? forger.respond(to: message, payload: Data("real".utf8)) }
        try await forger.flush()
        #expect(try await victim.request("a.service", timeout: .seconds(5)).string == "real")
        service.unsubscribe()
    }

    @Test func aWorkloadCannotReachTheControlPlaneOrAnotherNamespace() async throws {
        let env = try await OperatorEnvironment.start()
        let creds = try env.minter().mintWorkload(namespace: "a", workloadID: "wa")
        let workload = try await env.connect(creds, name: "wa")
        let watch = ViolationWatch(workload)
        let user = try Self.user(of: creds)
        let node = try await env.connectUnrestricted(name: "node")
        let control = try node.subscribe("$NEX.SVC.*.control.>")
        try await node.flush()

        let noReply = await #expect(throws: NatsError.self) {
            _ = try await workload.request("$NEX.SVC.system.control.PING", timeout: .milliseconds(500))
        }
        // The server drops the denied publish: no reply ever comes (the violation is checked just below).
        #expect(noReply?.kind == .timeout && noReply?.message == "request on $NEX.SVC.system.control.PING: timed out", "\(String(describing: noReply))")
        #expect(try await watch.next().kind == .notPermitted)
        try await Self.publishForbidden(["$NEX.SVC.a.control.ADEPLOY.bid1", "$NEX.SVC.\(env.nodeID).control.INFO", "b.service"],
                                        on: workload, as: user, watch: watch, env: env)
        let denied = try await Self.subscribeForbidden(["$NEX.SVC.*.control.>", "b.>"], on: workload, as: user, watch: watch, env: env)
        // The control plane still works for the node's own callers.
        try node.publish("$NEX.SVC.system.control.PING", payload: Self.sentinel)
        let seen = try await collect(control, until: { $0.payload == Self.sentinel })
        #expect(seen.allSatisfy { $0.payload == Self.sentinel })
        denied.forEach { $0.unsubscribe() }
    }
}

// issue 12: object-store permissions
extension OperatorModeTests {
    @Test func anAgentReadsObjectsOnlyFromTheAllowedBuckets() async throws {
        let env = try await OperatorEnvironment.start()
        let node = try await env.connectUnrestricted(name: "node")
        let js = try JetStream(node)
        let payload = Data((0..<4_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        for bucket in ["bins", "other"] {
            _ = try await js.createObjectStore(ObjectStoreConfig(bucket: bucket)).put("tool", data: payload, chunkSize: 128 * 1024)
        }
        let creds = try env.minter(artifactBuckets: ["bins"]).mintAgent(agentID: "agent1", profile: .current)
        let agent = try await env.connect(creds, name: "agent")
        let agentJS = try JetStream(agent, timeout: .seconds(1))

        // The positive control: the allowed bucket reads completely (large enough for flow control), without a
        // single violation.
        #expect(try await agentJS.objectStore("bins").get("tool").data == payload)
        #expect(try await agentJS.objectStore("bins").info("tool")?.size == UInt64(payload.count))
        let log = (try? String(contentsOf: env.server.logFile, encoding: .utf8)) ?? ""
        #expect(!log.contains("Violation"), "\(log.split(separator: "\n").filter { $0.contains("Violation") })")

        // Another bucket is refused by the server.
        let otherBucket = await #expect(throws: NatsError.self) {
            _ = try await agentJS.objectStore("other", chunkTimeout: .seconds(1)).get("tool")
        }
        #expect(otherBucket?.kind == .timeout && otherBucket?.message.hasPrefix("object store other: read the metadata of tool") == true, "\(String(describing: otherBucket))")
        try await env.expectServerLogged("Publish", user: Self.user(of: creds), subject: "$JS.API.STREAM.MSG.GET.OBJ_other")
        // Nor can the agent write, purge or delete the allowed one.
        let write = await #expect(throws: NatsError.self) {
            _ = try await agentJS.objectStore("bins").put("evil", data: Data("x".utf8))
        }
        #expect(write?.kind == .timeout && write?.message.hasPrefix("publish object evil") == true, "\(String(describing: write))")
        #expect(try await js.objectStore("bins").info("evil") == nil)
    }
}
