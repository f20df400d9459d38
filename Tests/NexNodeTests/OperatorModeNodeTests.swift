import Foundation
import Logging
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexletTestSupport
import NexNode
import NexProtocol
import OperatorTestSupport
import Testing

// issue 12: private inboxes and credential lifetime
/// A node in operator mode minting with the signing-key strategy, with an SDK nexlet embedded: the nexlet
/// registers and serves through private inboxes, every workload gets credentials of its own with its own
/// inbox prefix and the configured lifetime, and one namespace's workload can neither read another's replies
/// nor reach namespace B or the control plane.
@Suite struct OperatorModeNodeTests {
    static func start(lifetime: Duration, localAgents: [LocalAgentSpec] = [], restartLimit: Int = 0) async throws -> (OperatorEnvironment, NexNode, InMemoryNexlet, NatsConnection) {
        let env = try await OperatorEnvironment.start()
        var options = NodeOptions()
        options.name = "op-node"
        options.nexus = env.nexus
        options.logger.logLevel = .error
        let nodeKeys = try KeyPair.generate(.server)
        options.nodeSeed = nodeKeys.seed
        options.minter = try SigningKeyMinter(
            signingSeed: env.signingKey.seed ?? "", rootAccount: env.account.publicKey, nodeID: nodeKeys.publicKey,
            nexus: env.nexus, servers: [env.server.url], validity: lifetime)
        let nexlet = InMemoryNexlet()
        options.embed(nexlet)
        options.localAgents = localAgents
        // A local nexlet here only records its environment and exits: few restarts, so the start does not
        // wait long for a registration that never comes.
        options.agentRestartLimit = restartLimit
        let node = try NexNode(connection: try await env.connectUnrestricted(name: "node", inboxPrefix: "_INBOX_node"), options: options)
        try await node.start()
        return (env, node, nexlet, try await env.connectUnrestricted(name: "client"))
    }

    static func request(namespace: String) -> StartWorkloadRequest {
        StartWorkloadRequest(name: "w", namespace: namespace, description: "test workload", workloadType: "inmem",
                             workloadLifecycle: .service, runRequest: "{}")
    }

    @Test func workloadsGetTheirOwnInboxAndLifetimeAndStayInTheirNamespace() async throws {
        try await withTeardown { teardown in
            let (env, node, nexlet, client) = try await Self.start(lifetime: .seconds(3600))
            teardown.add { await node.shutdown() }
            let mintedAfter = Int64(Date().timeIntervalSince1970)
            let a = try await NexClient(connection: client, namespace: "a").deploy(Self.request(namespace: "a"), tags: nil).response.id
            let b = try await NexClient(connection: client, namespace: "b").deploy(Self.request(namespace: "b"), tags: nil).response.id
            let credsA = try #require(nexlet.workload(id: a)?.credentials)
            let credsB = try #require(nexlet.workload(id: b)?.credentials)
            #expect(credsA.natsInboxPrefix == "_INBOX_\(a)")
            #expect(credsB.natsInboxPrefix == "_INBOX_\(b)")
            let claims = try UserClaims.decode(credsA.natsUserJWT)
            #expect(claims.name == a)
            #expect((mintedAfter + 3600...mintedAfter + 3600 + 60).contains(claims.expires))

            // Workload a does request/reply inside a (as requester and as responder) on its own prefix.
            let workloadA = try await NatsConnection.connect(try credsA.connectOptions(defaultName: "workload-a"))
            let workloadB = try await NatsConnection.connect(try credsB.connectOptions(defaultName: "workload-b"))
            let watchA = ViolationWatch(workloadA)
            let peer = try await env.connectUnrestricted(name: "peer-in-a")
            let service = try peer.subscribe("a.service") { message in try? peer.respond(to: message, payload: Data("pong".utf8)) }
            let echo = try workloadA.subscribe("a.echo") { message in try? workloadA.respond(to: message, payload: message.payload) }
            try await peer.flush()
            try await workloadA.flush()
            #expect(try await workloadA.request("a.service", timeout: .seconds(5)).string == "pong")
            #expect(try await peer.request("a.echo", payload: Data("x".utf8), timeout: .seconds(5)).string == "x")

            // B's replies stay B's: a cannot subscribe B's inbox, the wide inbox, B's namespace or the control plane.
            let userA = try KeyPair(seed: credsA.natsUserSeed, expecting: .user).publicKey
            let taps = try ["_INBOX_\(b).>", "_INBOX.>", "_INBOX_node.>", "b.>", "$NEX.SVC.*.control.>"].map { try workloadA.subscribe($0) }
            for subject in ["_INBOX_\(b).>", "_INBOX.>", "_INBOX_node.>", "b.>", "$NEX.SVC.*.control.>"] {
                #expect(try await watchA.next().kind == .notPermitted)
                try await env.expectServerLogged("Subscription", user: userA, subject: subject)
            }
            let bService = try peer.subscribe("b.service") { message in try? peer.respond(to: message, payload: Data("secret for b".utf8)) }
            try await peer.flush()
            #expect(try await workloadB.request("b.service", timeout: .seconds(5)).string == "secret for b")
            // Meanwhile the client's control-plane reply travels on its own inbox; a's taps see none of it.
            #expect(try await NexClient(connection: client, namespace: "a").listWorkloads(filter: nil).get().all.map(\.id) == [a])
            // Anything delivered to a would precede this reply on its socket.
            #expect(try await peer.request("a.echo", payload: Data("sync".utf8), timeout: .seconds(5)).string == "sync")
            for tap in taps {
                #expect(try await drainAndCollect(tap).isEmpty)
            }
            // Nor can a publish into b's inbox (a forged reply) or call the control plane.
            for subject in ["_INBOX_\(b).forged", "b.service", "$NEX.SVC.a.control.PING"] {
                try workloadA.publish(subject, payload: Data("forged".utf8))
                #expect(try await watchA.next().kind == .notPermitted)
                try await env.expectServerLogged("Publish", user: userA, subject: subject)
            }
            service.unsubscribe()
            echo.unsubscribe()
            bService.unsubscribe()
        }
    }

    @Test func aLocalNexletProcessIsToldItsRegistrationInboxPrefixAndRestartsWithFreshCredentials() async throws {
        try await withTeardown { teardown in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("local-agent-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let script = directory.appendingPathComponent("agent").path
            // Each run records its environment in env-<run> and exits; the node restarts it once.
            try Data(#"""
                #!/bin/sh
                run=$(ls "$DUMPS" | grep -c '^env-')
                env > "$DUMPS/partial" && mv "$DUMPS/partial" "$DUMPS/env-$run"

                """#.utf8).write(to: URL(fileURLWithPath: script))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
            let dumps = directory.appendingPathComponent("dumps")
            try FileManager.default.createDirectory(at: dumps, withIntermediateDirectories: true)
            let (_, node, _, _) = try await Self.start(
                lifetime: .seconds(3600), localAgents: [LocalAgentSpec(uri: "file://\(script)", env: ["DUMPS": dumps.path])], restartLimit: 1)
            teardown.add { await node.shutdown() }
            let runs = dumps.appendingPathComponent("env-1").path
            try await eventually("the restarted local nexlet wrote its environment", timeout: .seconds(20)) { FileManager.default.fileExists(atPath: runs) }
            func variables(_ run: Int) throws -> [String: String] {
                let lines = try String(contentsOfFile: dumps.appendingPathComponent("env-\(run)").path, encoding: .utf8).split(separator: "\n")
                return Dictionary(lines.compactMap { line -> (String, String)? in
                    guard let equals = line.firstIndex(of: "=") else { return nil }
                    return (String(line[..<equals]), String(line[line.index(after: equals)...]))
                }, uniquingKeysWith: { _, last in last })
            }
            let (first, second) = (try variables(0), try variables(1))
            let agentID = try #require(first["NEX_AGENT_ASSIGNED_ID"])
            #expect(first["NEX_AGENT_NATS_INBOX_PREFIX"] == "_INBOX_\(agentID)")
            let jwt = try #require(first["NEX_AGENT_NATS_B64_JWT"].flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) })
            let claims = try UserClaims.decode(jwt)
            #expect(claims.permissions.sub.allow == ["_INBOX_\(agentID).>"])
            // Registration credentials are short-lived whatever the credential lifetime…
            #expect(claims.expires <= Int64(Date().timeIntervalSince1970) + 600)
            // …so the restart got fresh ones, for the same agent id.
            #expect(second["NEX_AGENT_ASSIGNED_ID"] == agentID)
            #expect(second["NEX_AGENT_NATS_INBOX_PREFIX"] == "_INBOX_\(agentID)")
            #expect(second["NEX_AGENT_NATS_B64_JWT"] != first["NEX_AGENT_NATS_B64_JWT"])
            #expect(second["NEX_AGENT_NATS_USER_SEED"] != first["NEX_AGENT_NATS_USER_SEED"])
            #expect(second["DUMPS"] == dumps.path)
        }
    }
}
