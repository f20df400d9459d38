import Foundation
import Minter
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Testing

@Suite("SDK environment and connection data")
struct SDKEnvironmentTests {
    static let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln"

    @Test("NEX_AGENT_* variables parse into node id, agent id and registration credentials, and back")
    func parse() throws {
        let environment = [
            "NEX_AGENT_NATS_SERVERS": "nats://a:4222, nats://b:4222,",
            "NEX_AGENT_NATS_USER_SEED": "SUAseed",
            "NEX_AGENT_NATS_B64_JWT": Data(Self.jwt.utf8).base64EncodedString(),
            "NEX_AGENT_NATS_USER": "user",
            "NEX_AGENT_NATS_PASSWORD": "secret",
            "NEX_AGENT_NATS_USER_NKEY": "UAnkey",
            "NEX_AGENT_NODE_ID": "NODE1",
            "NEX_AGENT_ASSIGNED_ID": "AGENT1",
            "NEX_AGENT_NATS_INBOX_PREFIX": "_INBOX_AGENT1",
            "UNRELATED": "x",
        ]
        let parsed = try NexletEnvironment(environment)
        #expect(parsed.nodeID == "NODE1")
        #expect(parsed.agentID == "AGENT1")
        #expect(parsed.registration == NatsConnectionData(
            natsServers: ["nats://a:4222", "nats://b:4222"], natsUserJWT: Self.jwt, natsUserName: "user", natsUserNkey: "UAnkey",
            natsUserPassword: "secret", natsUserSeed: "SUAseed", natsInboxPrefix: "_INBOX_AGENT1"))
        #expect(try parsed.registration.connectOptions(defaultName: "nexlet").inboxPrefix == "_INBOX_AGENT1")
        var roundTrip = environment
        roundTrip["UNRELATED"] = nil
        roundTrip["NEX_AGENT_NATS_SERVERS"] = "nats://a:4222,nats://b:4222"
        #expect(parsed.variables == roundTrip)
        #expect(try NexletEnvironment(parsed.variables) == parsed)

        let minimal = try NexletEnvironment(["NEX_AGENT_NATS_SERVERS": "nats://x:1", "NEX_AGENT_NODE_ID": "N", "NEX_AGENT_ASSIGNED_ID": "A"])
        #expect(minimal.registration == NatsConnectionData(natsServers: ["nats://x:1"]))
    }

    @Test("Missing or malformed variables are reported by name", arguments: [
        ([:], "NEX_AGENT_NATS_SERVERS is not set"),
        (["NEX_AGENT_NATS_SERVERS": " , ", "NEX_AGENT_NODE_ID": "N", "NEX_AGENT_ASSIGNED_ID": "A"], "NEX_AGENT_NATS_SERVERS lists no server"),
        (["NEX_AGENT_NATS_SERVERS": "nats://x:1", "NEX_AGENT_ASSIGNED_ID": "A"], "NEX_AGENT_NODE_ID is not set"),
        (["NEX_AGENT_NATS_SERVERS": "nats://x:1", "NEX_AGENT_NODE_ID": "N"], "NEX_AGENT_ASSIGNED_ID is not set"),
        (["NEX_AGENT_NATS_SERVERS": "nats://x:1", "NEX_AGENT_NODE_ID": "N.1", "NEX_AGENT_ASSIGNED_ID": "A"], "NEX_AGENT_NODE_ID \"N.1\" must be a single subject token"),
        (["NEX_AGENT_NATS_SERVERS": "nats://x:1", "NEX_AGENT_NODE_ID": "N", "NEX_AGENT_ASSIGNED_ID": "A", "NEX_AGENT_NATS_B64_JWT": "not base64!"],
         "NEX_AGENT_NATS_B64_JWT is not standard base64 of a UTF-8 JWT"),
    ])
    func badEnvironment(environment: [String: String], message: String) {
        #expect(throws: NexletRunnerError.environment(message)) { try NexletEnvironment(environment) }
    }

    @Test("Auth is chosen jwt+seed, nkey+seed, user+password, none; servers and name fall back")
    func connectionData() throws {
        let seedPair = try KeyPair.generate(.user)
        let seed = try #require(seedPair.seed)
        func auth(_ data: NatsConnectionData) throws -> NatsAuth { try data.auth() }
        #expect(try auth(NatsConnectionData(natsUserJWT: Self.jwt, natsUserName: "u", natsUserNkey: "UX", natsUserPassword: "p", natsUserSeed: seed))
            == .jwt(jwt: Self.jwt, seed: seed))
        #expect(try auth(NatsConnectionData(natsUserName: "u", natsUserNkey: "UX", natsUserPassword: "p", natsUserSeed: seed))
            == .nkey(publicKey: "UX", seed: seed))
        #expect(try auth(NatsConnectionData(natsUserSeed: seed)) == .nkey(publicKey: seedPair.publicKey, seed: seed))
        #expect(try auth(NatsConnectionData(natsUserJWT: Self.jwt, natsUserName: "u", natsUserPassword: "p")) == .userPassword(user: "u", password: "p"))
        #expect(try auth(NatsConnectionData(natsUserName: "u")) == NatsAuth.none)
        #expect(throws: NexletRunnerError.self) { try NatsConnectionData(natsUserSeed: "SUAnot-a-seed").auth() }

        let fallback = try NatsConnectionData().connectOptions(defaultName: "nexlet_swift", fallbackServers: ["nats://boot:4222"])
        #expect(fallback.servers == ["nats://boot:4222"])
        #expect(fallback.name == "nexlet_swift")
        #expect(fallback.tls == nil)
        #expect(try NatsConnectionData().connectOptions(defaultName: "x").servers == ["nats://127.0.0.1:4222"])
        let named = try NatsConnectionData(connName: "mine", natsServers: ["nats://s:1"], tlsCA: "/ca.pem").connectOptions(defaultName: "x")
        #expect(named.name == "mine")
        #expect(named.servers == ["nats://s:1"])
        #expect(named.tls == NatsTLS(caFile: "/ca.pem"))
        #expect(named.inboxPrefix == "")
        #expect(try NatsConnectionData(natsInboxPrefix: "_INBOX_A1").connectOptions(defaultName: "x").inboxPrefix == "_INBOX_A1")
        #expect(throws: NexletRunnerError.self) { try NatsConnectionData(natsInboxPrefix: "_INBOX.*").connectOptions(defaultName: "x") }
    }

    @Test("runFromEnvironment registers a local agent process with nkey registration credentials")
    func runFromEnvironment() async throws {
        try await withTeardown { teardown in
            let registrationKey = try KeyPair.generate(.user)
            let config = """
            authorization {
              users = [
                {user: "node", password: "node-pw"}
                {nkey: "\(registrationKey.publicKey)", permissions: {publish: {allow: ["$NEX.SVC.*.agent.REGISTER.*"]}, subscribe: {allow: ["_INBOX.>"]}}}
                {user: "agent", password: "agent-pw"}
              ]
            }
            """
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false, extraConfig: config))
            teardown.add { await server.stop() }
            let nodeConnection = try await connect(server, name: "node", auth: .userPassword(user: "node", password: "node-pw"))
            teardown.add { await nodeConnection.close() }
            let agentCredentials = NatsConnectionData(natsServers: [server.url], natsUserName: "agent", natsUserPassword: "agent-pw")
            let node = try await ScriptedNode.start(on: nodeConnection, answer: .accept(agentCredentials, existing: [:]))
            let agentID = NUID.next()
            let environment = NexletEnvironment(
                nodeID: node.nodeID, agentID: agentID,
                registration: NatsConnectionData(natsServers: [server.url], natsUserNkey: registrationKey.publicKey, natsUserSeed: try #require(registrationKey.seed)))

            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            teardown.add { await runner.stop() }
            try await runner.runFromEnvironment(environment.variables.merging(["PATH": "/usr/bin"]) { $1 })
            #expect(await runner.agentID == agentID)
            #expect(node.registrations.all.map(\.subject) == ["$NEX.SVC.\(node.nodeID).agent.REGISTER.\(agentID)"])
            let pong = try await nodeConnection.request(NexSubject.agentPing(nodeID: node.nodeID, agentID: agentID))
            #expect(pong.headers[NexHeader.agentID] == agentID)

            await #expect(throws: NexletRunnerError.environment("NEX_AGENT_NATS_SERVERS is not set")) {
                try await NexletRunner(runtime: InMemoryNexlet()).runFromEnvironment([:])
            }
        }
    }
}
