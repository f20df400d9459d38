import Foundation
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Synchronization
import Testing

/// Operator-provided bootstrap users: one that may only ask RREGISTER, one that may also REGISTER.
let remoteAuthConfig = """
authorization {
  users = [
    {user: "node", password: "node-pw"}
    {user: "bootstrap", password: "bootstrap-pw", permissions: {publish: {allow: ["$NEX.SVC.*.agent.RREGISTER"]}, subscribe: {allow: ["_INBOX.>"]}}}
    {user: "bootstrap-full", password: "bootstrap-pw", permissions: {publish: {allow: ["$NEX.SVC.*.agent.RREGISTER", "$NEX.SVC.*.agent.REGISTER.*"]}, subscribe: {allow: ["_INBOX.>"]}}}
    {user: "register", password: "register-pw", permissions: {publish: {allow: ["$NEX.SVC.*.agent.REGISTER.*"]}, subscribe: {allow: ["_INBOX.>"]}}}
    {user: "agent", password: "agent-pw"}
  ]
}
"""

/// Answers RREGISTER for a nexus (queue group = nexus, as nodes do).
final class ScriptedRemoteRegistrar: Sendable {
    let requests = Recorder<NatsMessage>()
    let assignedIDs = Recorder<String>()
    private let subscription: NatsSubscription

    init(connection: NatsConnection, nexus: String, nodeID: String, credentials: NatsConnectionData?, refuse: Bool = false) throws {
        let requests = self.requests
        let assigned = self.assignedIDs
        subscription = try connection.subscribe(NexSubject.remoteRegister(nexus: nexus), queue: nexus) { message in
            requests.append(message)
            if refuse {
                try? connection.respond(to: message, payload: Data(#"{"error_id":"e1","error":"nope"}"#.utf8), headers: [
                    NexHeader.serviceError: "failed agent registrar check", NexHeader.serviceErrorCode: "403",
                ])
                return
            }
            let id = NUID.next()
            assigned.append(id)
            let response = RegisterRemoteAgentResponse(assignedAgentID: id, respondTo: nodeID, registrationCreds: credentials)
            try? connection.respond(to: message, payload: (try? GoJSON.encode(response)) ?? Data())
        }
    }
}

@Suite("SDK remote registration")
struct SDKRemoteTests {
    func bootstrap(_ server: NATSServer, user: String) -> NatsConnectOptions {
        NatsConnectOptions(servers: [server.url], name: "remote-nexlet", auth: .userPassword(user: user, password: "bootstrap-pw"))
    }

    @Test("RREGISTER with {} then REGISTER with the returned registration credentials")
    func withRegistrationCredentials() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false, extraConfig: remoteAuthConfig))
            teardown.add { await server.stop() }
            let nodeConnection = try await connect(server, name: "node", auth: .userPassword(user: "node", password: "node-pw"))
            teardown.add { await nodeConnection.close() }
            let agentCredentials = NatsConnectionData(natsServers: [server.url], natsUserName: "agent", natsUserPassword: "agent-pw")
            let node = try await ScriptedNode.start(on: nodeConnection, answer: .accept(agentCredentials, existing: [:]))
            // Registration credentials without servers: the bootstrap servers are used.
            let registration = NatsConnectionData(natsUserName: "register", natsUserPassword: "register-pw")
            let registrar = try ScriptedRemoteRegistrar(connection: nodeConnection, nexus: "testnexus", nodeID: node.nodeID, credentials: registration)
            try await nodeConnection.flush()

            let nexlet = InMemoryNexlet()
            let runner = NexletRunner(runtime: nexlet, options: testOptions(nexus: "ignored"))
            teardown.add { await runner.stop() }
            try await runner.runRemote(bootstrap: bootstrap(server, user: "bootstrap"), nexus: "testnexus")

            let request = try #require(registrar.requests.all.first)
            #expect(request.string == "{}")
            let assigned = try #require(registrar.assignedIDs.all.first)
            #expect(await runner.agentID == assigned)
            #expect(await runner.nodeID == node.nodeID)
            #expect(node.registrations.all.map(\.subject) == ["$NEX.SVC.\(node.nodeID).agent.REGISTER.\(assigned)"])

            // Serving with the agent credentials; discovery uses the nexus given to runRemote.
            nexlet.seed(workloadID: "w1", request: startRequest().request)
            let found = try await nodeConnection.request(NexSubject.pingWorkload(nexus: "testnexus", workloadID: "w1"))
            #expect(found.string == #"{"node_id":"\#(node.nodeID)"}"#)

            let schemas = SchemaCheck()
            schemas.add("register-agent-request-remote.json", request)
            try await schemas.validate()
        }
    }

    @Test("Without registration_creds the bootstrap credentials register")
    func keepsBootstrapCredentials() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false, extraConfig: remoteAuthConfig))
            teardown.add { await server.stop() }
            let nodeConnection = try await connect(server, name: "node", auth: .userPassword(user: "node", password: "node-pw"))
            teardown.add { await nodeConnection.close() }
            let agentCredentials = NatsConnectionData(natsServers: [server.url], natsUserName: "agent", natsUserPassword: "agent-pw")
            let node = try await ScriptedNode.start(on: nodeConnection, answer: .accept(agentCredentials, existing: [:]))
            let registrar = try ScriptedRemoteRegistrar(connection: nodeConnection, nexus: "testnexus", nodeID: node.nodeID, credentials: nil)
            try await nodeConnection.flush()

            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            try await runner.runRemote(bootstrap: bootstrap(server, user: "bootstrap-full"), nexus: "testnexus")
            #expect(registrar.requests.count == 1)
            #expect(node.registrations.count == 1)
            #expect(await runner.isRunning)
            await runner.stop()

            // The RREGISTER-only bootstrap user cannot REGISTER: the runner reports the node as unreachable.
            let limited = NexletRunner(runtime: InMemoryNexlet(), options: NexletRunnerOptions(registrationTimeout: .seconds(1), logger: testLogger()))
            do {
                try await limited.runRemote(bootstrap: bootstrap(server, user: "bootstrap"), nexus: "testnexus")
                Issue.record("REGISTER went through without permission")
            } catch let error as NexletRunnerError {
                guard case .nodeUnreachable = error else { throw error }
            }
        }
    }

    @Test("No registrar, a refusal and a bad nexus name are clear errors")
    func failures() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            let options = NatsConnectOptions(servers: [server.url])
            do {
                try await runner.runRemote(bootstrap: options, nexus: "nobody")
                Issue.record("runRemote succeeded without a registrar")
            } catch let error as NexletRunnerError {
                guard case .remoteRegistrationUnavailable(let nexus, let reason) = error else { throw error }
                #expect(nexus == "nobody")
                #expect(reason.contains("remote registration allowed"))
            }

            let client = try await connect(server)
            teardown.add { await client.close() }
            let strict = try ScriptedRemoteRegistrar(connection: client, nexus: "strict", nodeID: try newNodeID(), credentials: nil, refuse: true)
            try await client.flush()
            await #expect(throws: NexletRunnerError.registrationRefused(code: 403, message: "failed agent registrar check", detail: "nope")) {
                try await runner.runRemote(bootstrap: options, nexus: "strict")
            }
            #expect(strict.requests.count == 1)
            await #expect(throws: NexletRunnerError.self) { try await runner.runRemote(bootstrap: options, nexus: "a.b") }
            #expect(await runner.isRunning == false)
        }
    }
}
