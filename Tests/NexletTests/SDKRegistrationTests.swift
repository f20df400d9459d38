import Foundation
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Testing

/// A server where the registration user may only send REGISTER (and read its inboxes): an agent that kept
/// using it after registering could not serve anything.
let registrationAuthConfig = """
authorization {
  users = [
    {user: "node", password: "node-pw"}
    {user: "register", password: "register-pw", permissions: {publish: {allow: ["$NEX.SVC.*.agent.REGISTER.*"]}, subscribe: {allow: ["_INBOX.>"]}}}
    {user: "agent", password: "agent-pw"}
    {user: "workload", password: "workload-pw"}
  ]
}
"""

@Suite("SDK registration")
struct SDKRegistrationTests {
    @Test("REGISTER carries the registration; the agent reconnects with the returned credentials and serves")
    func registersAndReconnects() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false, extraConfig: registrationAuthConfig))
            teardown.add { await server.stop() }
            let nodeConnection = try await connect(server, name: "node", auth: .userPassword(user: "node", password: "node-pw"))
            teardown.add { await nodeConnection.close() }
            let agentCredentials = NatsConnectionData(natsServers: [server.url], natsUserName: "agent", natsUserPassword: "agent-pw")
            let node = try await ScriptedNode.start(on: nodeConnection, answer: .accept(agentCredentials, existing: [:]))
            let heartbeats = try node.heartbeats()
            let nexlet = InMemoryNexlet()
            let runner = NexletRunner(runtime: nexlet, options: testOptions())
            #expect(runner.name == "inmem")
            let agentID = NUID.next()
            let registration = NatsConnectionData(natsServers: [server.url], natsUserName: "register", natsUserPassword: "register-pw")
            try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: registration)
            #expect(await runner.isRunning)
            #expect(await runner.agentID == agentID)
            #expect(await runner.nodeID == node.nodeID)

            let request = try #require(node.registrations.all.first)
            #expect(node.registrations.count == 1)
            #expect(request.subject == "$NEX.SVC.\(node.nodeID).agent.REGISTER.\(agentID)")
            let body = try GoJSON.decode(RegisterAgentRequest.self, from: request.payload)
            #expect(body.name == "inmem")
            #expect(body.registerType == "inmem")
            #expect(body.version == "0.0.0")
            #expect(body.description == "In memory no-op agent")
            #expect(body.maxWorkloads == 0)
            #expect(body.startRequestSchema == "{}")
            #expect(body.supportedLifecycles == [.service, .job, .function])
            #expect(body.publicXkey.hasPrefix("X") && body.publicXkey.count == 56)
            #expect(body.publicXkey == nexlet.registration.publicXkey)
            let keys = try json(request).keys.sorted()
            #expect(keys == ["description", "max_workloads", "name", "public_xkey", "register_type", "start_request_schema", "supported_lifecycles", "version"])

            // The first heartbeat comes at once (well within the 10 s interval); the agent answers PING with the
            // agent user only.
            let heartbeat = try #require(try await collect(heartbeats, count: 1).first)
            #expect(heartbeat.subject == "$NEX.SVC.\(node.nodeID).agent.HEARTBEAT.\(agentID)")
            let pong = try await nodeConnection.request(NexSubject.agentPing(nodeID: node.nodeID, agentID: agentID))
            #expect(pong.headers[NexHeader.agentID] == agentID)
            #expect(nexlet.counters.attaches == 1)

            let schemas = SchemaCheck()
            schemas.add("register-agent-request.json", request)
            schemas.add("heartbeat-agent.json", heartbeat)
            try await schemas.validate()

            await runner.stop()
            #expect(await runner.isRunning == false)
            #expect(nexlet.counters.detaches == 1)
        }
    }

    @Test("An error reply to REGISTER is a registrationRefused error with code, message and detail")
    func refused() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let client = try await connect(server)
            teardown.add { await client.close() }
            let node = try await ScriptedNode.start(
                on: client, answer: .refuse(code: 403, description: "failed agent registrar check", error: "not on the list"))
            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            teardown.add { await runner.stop() }
            let agentID = NUID.next()
            await #expect(throws: NexletRunnerError.registrationRefused(code: 403, message: "failed agent registrar check", detail: "not on the list")) {
                try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: serversOnly(server))
            }
            #expect(await runner.isRunning == false)

            node.setAnswer(.unsuccessful("go away"))
            await #expect(throws: NexletRunnerError.registrationRefused(code: 0, message: "go away", detail: "")) {
                try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: serversOnly(server))
            }

            // A failed run leaves nothing behind: the same runner registers once the node accepts.
            node.setAnswer(.accept(serversOnly(server), existing: [:]))
            try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: serversOnly(server))
            #expect(await runner.isRunning)
            #expect(node.registrations.count == 3)
        }
    }

    @Test("Nobody on REGISTER, or no server at all, are clear errors")
    func unreachable() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            let nodeID = try newNodeID()
            do {
                try await runner.run(agentID: NUID.next(), nodeID: nodeID, registration: serversOnly(server))
                Issue.record("run succeeded without a node")
            } catch let error as NexletRunnerError {
                guard case .nodeUnreachable(let id, let reason) = error else { throw error }
                #expect(id == nodeID)
                #expect(reason.contains("nobody listens on $NEX.SVC.\(nodeID).agent.REGISTER."))
            }

            let deadPort = try freeLoopbackPort()
            do {
                try await runner.run(agentID: NUID.next(), nodeID: nodeID, registration: NatsConnectionData(natsServers: ["nats://127.0.0.1:\(deadPort)"]))
                Issue.record("run succeeded without a server")
            } catch let error as NexletRunnerError {
                guard case .connectionFailed(let purpose, let servers, _) = error else { throw error }
                #expect(purpose == "registration")
                #expect(servers == ["nats://127.0.0.1:\(deadPort)"])
            }

            let silentClient = try await connect(server)
            teardown.add { await silentClient.close() }
            let silentNode = try await ScriptedNode.start(on: silentClient, answer: .silent)
            let impatient = NexletRunner(runtime: InMemoryNexlet(), options: NexletRunnerOptions(registrationTimeout: .milliseconds(300), logger: testLogger()))
            do {
                try await impatient.run(agentID: NUID.next(), nodeID: silentNode.nodeID, registration: serversOnly(server))
                Issue.record("run succeeded without a reply")
            } catch let error as NexletRunnerError {
                guard case .nodeUnreachable(_, let reason) = error else { throw error }
                #expect(reason.contains("no reply to REGISTER"))
            }
        }
    }

    @Test("A registration the node or the micro service would reject fails before anything is sent")
    func invalidRegistration() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let client = try await connect(server)
            teardown.add { await client.close() }
            let node = try await ScriptedNode.start(on: client, answer: .accept(serversOnly(server), existing: [:]))
            let cases: [(InMemoryNexlet, String)] = [
                (InMemoryNexlet(name: "in mem"), "name"),
                (InMemoryNexlet(version: "1.0"), "version"),
                (InMemoryNexlet(registerType: ""), "register type"),
                (InMemoryNexlet(startRequestSchema: "{not json"), "start request schema"),
            ]
            for (nexlet, topic) in cases {
                let runner = NexletRunner(runtime: nexlet, options: testOptions())
                do {
                    try await runner.run(agentID: NUID.next(), nodeID: node.nodeID, registration: serversOnly(server))
                    Issue.record("\(topic): run succeeded")
                } catch let error as NexletRunnerError {
                    guard case .invalidRegistration(let reason) = error else { throw error }
                    #expect(reason.contains(topic))
                }
            }
            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            await #expect(throws: NexletRunnerError.self) {
                try await runner.run(agentID: "bad.id", nodeID: node.nodeID, registration: serversOnly(server))
            }
            try await client.flush()
            #expect(node.registrations.count == 0)
        }
    }

    @Test("run while running is refused; stop then run registers again")
    func runTwice() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            await #expect(throws: NexletRunnerError.alreadyRunning) {
                try await harness.runner.run(agentID: NUID.next(), nodeID: harness.node.nodeID, registration: serversOnly(harness.server))
            }
            await harness.runner.stop()
            await harness.runner.stop()
            await harness.runner.waitUntilStopped()
            try await harness.runner.run(agentID: harness.agentID, nodeID: harness.node.nodeID, registration: serversOnly(harness.server))
            #expect(harness.node.registrations.count == 2)
            let pong = try await harness.client.request(NexSubject.agentPingAll(nodeID: harness.node.nodeID))
            #expect(pong.headers[NexHeader.agentID] == harness.agentID)
            #expect(harness.nexlet.counters.attaches == 2)
        }
    }

    @Test("stop() during registration ends run with stoppedBeforeReady and leaves nothing running")
    func stopWhileRegistering() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let client = try await connect(server)
            teardown.add { await client.close() }
            let node = try await ScriptedNode.start(on: client, answer: .silent)
            let nexlet = InMemoryNexlet()
            let runner = NexletRunner(runtime: nexlet, options: testOptions())
            let running = Task { try await runner.run(agentID: NUID.next(), nodeID: node.nodeID, registration: serversOnly(server)) }
            try await eventually("REGISTER sent") { node.registrations.count == 1 }
            try await withDeadline(.seconds(5), "stop during registration") { await runner.stop() }
            await #expect(throws: NexletRunnerError.stoppedBeforeReady) {
                try await withDeadline(.seconds(5), "run after stop") { try await running.value }
            }
            #expect(await runner.isRunning == false)
            #expect(nexlet.counters.attaches == 0)
        }
    }
}

/// The shape a node uses to embed a runner: the runner conforms with an empty extension.
protocol EmbeddableNexlet: Sendable {
    var name: String { get }
    func run(agentID: String, nodeID: String, registration: NatsConnectionData) async throws
    func stop() async
}

extension NexletRunner: EmbeddableNexlet {}

@Test("A runner embeds through a one-line protocol conformance")
func runnerIsEmbeddable() async throws {
    try await withTeardown { teardown in
        let harness = try await Harness.start()
        teardown.add { await harness.stop() }
        let embedded: any EmbeddableNexlet = harness.runner
        #expect(embedded.name == "inmem")
        await embedded.stop()
        #expect(await harness.runner.isRunning == false)
    }
}
