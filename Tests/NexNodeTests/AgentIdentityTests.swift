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
import Synchronization
import Testing

/// A node in operator mode with the signing-key minter, built in-process, and its helpers.
private struct SecureNode: Sendable {
    let env: OperatorEnvironment
    let node: NexNode
    let minter: SigningKeyMinter
    let state: KVWorkloadState
    let log: LogRecorder
    let client: NatsConnection

    /// Every credential is scoped to its private inbox (no `legacyAgentInboxes`): our SDK registers and runs
    /// on `_INBOX_<agentId>`.
    static func start(
        embedded: [any EmbeddedAgentRunner] = [], configure: @Sendable (inout NodeOptions) -> Void = { _ in }
    ) async throws -> SecureNode {
        let env = try await OperatorEnvironment.start()
        let nodeKey = try KeyPair.generate(.server)
        let minter = try SigningKeyMinter(
            signingSeed: env.signingKey.seed ?? "", rootAccount: env.account.publicKey, nodeID: nodeKey.publicKey,
            nexus: env.nexus, servers: [env.server.url])
        let connection = try await env.connectUnrestricted(name: "node")
        let state = try await KVWorkloadState.open(connection: connection, nodeID: nodeKey.publicKey)
        var options = NodeOptions()
        options.nodeSeed = nodeKey.seed
        options.nexus = env.nexus
        options.minter = minter
        options.state = state
        options.embeddedAgents = embedded
        options.heartbeatInterval = .seconds(1)
        let log = LogRecorder()
        options.logger = log.logger(label: "secure-node", level: .warning)
        configure(&options)
        let node = try NexNode(connection: connection, options: options)
        try await node.start()
        return SecureNode(env: env, node: node, minter: minter, state: state, log: log, client: try await env.connectUnrestricted(name: "client"))
    }

    func stop() async {
        await node.shutdown()
    }

    /// A user JWT of the account without limits, as connect options (an operator's bootstrap user).
    func unrestrictedOptions(name: String) throws -> NatsConnectOptions {
        let user = try KeyPair.generate(.user)
        let jwt = try UserClaims(subject: user.publicKey, name: name).encode(signedBy: env.account)
        return NatsConnectOptions(servers: [env.server.url], name: name, auth: .jwt(jwt: jwt, seed: user.seed ?? ""), maxReconnects: 0)
    }

    func stored(ofType type: String) async throws -> [String] {
        try await state.workloads(ofType: type).map(\.workloadID)
    }
}

/// Sends a request signed by `key` (or unsigned when nil) and returns the one reply.
private func send(
    _ subject: String, payload: Data, on connection: NatsConnection, signedBy key: KeyPair?
) async throws -> NatsMessage {
    let inbox = connection.newInbox()
    let replies = try connection.subscribe(inbox)
    let headers = try key.map { try AgentProof.headers(signing: $0, subject: subject, replyTo: inbox, payload: payload) } ?? NatsHeaders()
    try connection.publish(subject, payload: payload, headers: headers, replyTo: inbox)
    return try await collect(replies, until: { _ in true }).first ?? NatsMessage(subject: inbox)
}

private func registration(type: String, xkey: String) throws -> Data {
    try GoJSON.encode(NexletRegistration(name: type, registerType: type, version: "1.0.0", publicXkey: xkey).request)
}

private func quietRunner(_ runtime: InMemoryNexlet) -> NexletRunner {
    var options = NexletRunnerOptions(nexus: "nexus", heartbeatInterval: .seconds(1))
    options.logger.logLevel = .critical
    return NexletRunner(runtime: runtime, options: options)
}

@Suite struct AgentIdentityTests {
    /// Impostors (the id's registration credentials minted again; an unrestricted user) cannot replace a live
    /// agent, signed or not; the real agent keeps winning auctions with its own xkey, and re-registers with
    /// its key (positive control).
    @Test func impostorRegisterForALiveAgentIsRefused() async throws {
        try await withTeardown { teardown in
            let echo = InMemoryNexlet(name: "echo", registerType: "echo")
            let runner = quietRunner(echo)
            teardown.add { await runner.stop() }
            let secure = try await SecureNode.start(embedded: [runner])
            teardown.add { await secure.stop() }
            let agentID = try #require(await runner.agentID)
            let subject = NexSubject.register(nodeID: secure.node.id, agentID: agentID)
            let forgedXkey = try NexletXKey.generate().publicKey
            let payload = try registration(type: "echo", xkey: forgedXkey)

            let reminted = try secure.minter.mintRegistration(agentID: agentID, nodeID: secure.node.id)
            let impostor = try await secure.env.connect(reminted, name: "impostor")
            let stranger = try await secure.env.connectUnrestricted(name: "stranger")
            for connection in [impostor, stranger] {
                for key in [nil, try KeyPair.generate(.user)] {
                    let reply = try await send(subject, payload: payload, on: connection, signedBy: key)
                    #expect(reply.nexError?.status == 403, "\(reply.string)")
                    #expect(reply.headers[NexHeader.serviceError] == "agent identity not proven")
                }
            }

            let user = try NexClient(connection: secure.client, namespace: "user")
            let bid = try #require(try await user.auction(agentType: "echo").bids.first)
            #expect(bid.xkey == echo.registration.publicXkey)
            let deployed = try await user.deploy(StartWorkloadRequest(name: "w", namespace: "user", workloadType: "echo", runRequest: "{}"))
            #expect(echo.workload(id: deployed.response.id) != nil)

            // Positive control: the agent itself re-registers (same id, same key) and serves again.
            await runner.stop()
            try await runner.run(agentID: agentID, nodeID: secure.node.id, registration: NatsConnectionData(
                natsServers: reminted.servers, natsUserJWT: reminted.userJWT, natsUserSeed: reminted.userSeed,
                natsInboxPrefix: reminted.inboxPrefix))
            #expect(try await user.auction(agentType: "echo").bids.first?.xkey == echo.registration.publicXkey)
        }
    }

    /// A WORKLOADSTOPPED forged with another agent's credential changes nothing (the workload runs and stays
    /// stored); a real stop and a workload that ended by itself purge the stored state.
    @Test func forgedWorkloadStoppedChangesNothing() async throws {
        try await withTeardown { teardown in
            let echo = InMemoryNexlet(name: "echo", registerType: "echo")
            let runner = quietRunner(echo)
            teardown.add { await runner.stop() }
            let secure = try await SecureNode.start(embedded: [runner])
            teardown.add { await secure.stop() }
            let agentID = try #require(await runner.agentID)
            let user = try NexClient(connection: secure.client, namespace: "user")
            let first = try await user.deploy(StartWorkloadRequest(name: "a", namespace: "user", workloadType: "echo", runRequest: "{}")).response.id
            let second = try await user.deploy(StartWorkloadRequest(name: "b", namespace: "user", workloadType: "echo", runRequest: "{}")).response.id
            #expect(Set(try await secure.stored(ofType: "echo")) == [first, second])

            // The node asks the real agent (on its own subject) and, told the workload still runs, ignores the event.
            let question = try secure.client.subscribe(NexSubject.agentQueryWorkloads(nodeID: secure.node.id, agentID: agentID))
            try await secure.client.flush()
            let forger = try await secure.env.connect(try secure.minter.mintAgent(agentID: "forger", profile: .current), name: "forger")
            let event = WorkloadStoppedEvent(id: first, namespace: "user", workloadType: "echo")
            try forger.publish(NexSubject.event(from: "user", name: .workloadStopped), payload: try GoJSON.encode(event))
            try await forger.flush()
            let asked = try #require(try await collect(question, until: { _ in true }).first)
            #expect(asked.string.contains(first))
            try await eventually("the node ignored the forged event") { secure.log.contains("ignored WORKLOADSTOPPED") }
            #expect(echo.workload(id: first) != nil)
            #expect(Set(try await secure.stored(ofType: "echo")) == [first, second])

            // Positive controls: a real stop purges; a workload that ended by itself purges.
            #expect(try await user.stopWorkload(id: first).stopped)
            #expect(await echo.finish(workloadID: second))
            try await eventually("state purged") { try await secure.stored(ofType: "echo").isEmpty }
        }
    }

    /// A second agent's credential may not subscribe the first agent's STOP/GET/QUERY/SETLAMEDUCK subjects,
    /// nor the node-wide ones, so it cannot answer for it; the first agent still answers (positive control).
    @Test func anotherAgentCannotServeTheFirstAgentsSubjects() async throws {
        try await withTeardown { teardown in
            let echo = InMemoryNexlet(name: "echo", registerType: "echo")
            let runner = quietRunner(echo)
            teardown.add { await runner.stop() }
            let secure = try await SecureNode.start(embedded: [runner])
            teardown.add { await secure.stop() }
            let agentID = try #require(await runner.agentID)
            let nodeID = secure.node.id
            let credentials = try secure.minter.mintAgent(agentID: "other", profile: .current)
            let otherUser = try KeyPair(seed: credentials.userSeed).publicKey

            for subject in [
                NexSubscription.agentStopWorkload(nodeID: nodeID, agentID: agentID),
                NexSubscription.agentGetWorkload(nodeID: nodeID, agentID: agentID),
                NexSubscription.agentQueryWorkloads(nodeID: nodeID, agentID: agentID),
                NexSubscription.agentSetLameduck(nodeID: nodeID, agentID: agentID),
                NexSubscription.agentStopWorkload(nodeID: nodeID),
                NexSubscription.agentQueryWorkloads(nodeID: nodeID),
            ] {
                let other = try await secure.env.connect(credentials, name: "other")
                let violations = ViolationWatch(other)
                _ = try other.subscribe(subject)
                _ = try await violations.next()
                try await secure.env.expectServerLogged("Subscription", user: otherUser, subject: subject)
                await other.close()
            }

            // The real agent answers its own subjects: list, stop.
            let user = try NexClient(connection: secure.client, namespace: "user")
            let id = try await user.deploy(StartWorkloadRequest(name: "w", namespace: "user", workloadType: "echo", runRequest: "{}")).response.id
            #expect(try await user.listWorkloads().value.all.map(\.id) == [id])
            #expect(try await user.stopWorkload(id: id).stopped)
            #expect(echo.workload(id: id) == nil)
        }
    }

    /// RREGISTER: an untrusted key, a replayed signed request and an unsigned one are refused; a trusted key
    /// registers and runs a workload.
    @Test func remoteRegistrationNeedsATrustedFreshSignature() async throws {
        try await withTeardown { teardown in
            let trusted = try KeyPair.generate(.user)
            let secure = try await SecureNode.start { options in
                options.allowRemoteAgentRegistration = true
                options.remoteAgentTrust = [trusted.publicKey]
            }
            teardown.add { await secure.stop() }
            let subject = NexSubject.remoteRegister(nexus: secure.env.nexus)
            let payload = try GoJSON.encode(RegisterRemoteAgentRequest())
            let bootstrap = try await NatsConnection.connect(try secure.unrestrictedOptions(name: "bootstrap"))
            teardown.add { await bootstrap.close() }

            for key in [nil, try KeyPair.generate(.user)] {
                let reply = try await send(subject, payload: payload, on: bootstrap, signedBy: key)
                #expect(reply.nexError?.status == 403, "\(reply.string)")
                #expect(reply.headers[NexHeader.serviceError] == "remote agent not trusted")
            }

            // The same signed request twice (same reply subject, as a replay must be): only the first counts.
            let inbox = bootstrap.newInbox()
            let replies = try bootstrap.subscribe(inbox)
            let headers = try AgentProof.headers(signing: trusted, subject: subject, replyTo: inbox, payload: payload)
            try bootstrap.publish(subject, payload: payload, headers: headers, replyTo: inbox)
            try bootstrap.publish(subject, payload: payload, headers: headers, replyTo: inbox)
            let both = try await withDeadline(.seconds(5), "two RREGISTER replies") {
                var received: [NatsMessage] = []
                for await reply in replies {
                    received.append(reply)
                    if received.count == 2 { break }
                }
                return received
            }
            // The node handles requests concurrently: the replies may come in either order.
            #expect(both.count == 2)
            let accepted = both.filter { $0.nexError == nil }
            #expect(accepted.count == 1)
            #expect(try accepted.first?.decode(RegisterRemoteAgentResponse.self).registrationCreds != nil)
            #expect(both.filter { $0.nexError?.status == 403 }.count == 1)

            // Positive control: the SDK with the trusted seed registers and runs a workload.
            let echo = InMemoryNexlet(name: "echo", registerType: "echo")
            let runner = quietRunner(echo)
            teardown.add { await runner.stop() }
            try await runner.runRemote(bootstrap: try secure.unrestrictedOptions(name: "remote-echo"), nexus: secure.env.nexus, trust: trusted)
            let user = try NexClient(connection: secure.client, namespace: "user")
            let id = try await user.deploy(StartWorkloadRequest(name: "w", namespace: "user", workloadType: "echo", runRequest: "{}")).response.id
            #expect(echo.workload(id: id) != nil)
        }
    }

    /// A Go nexlet (raw client, unsigned REGISTER, node-wide subjects, default `_INBOX.`) is refused unless
    /// the node allows legacy nexlets; then it registers and answers on the node-wide subjects.
    @Test func legacyNexletNeedsTheFlag() async throws {
        for allowed in [false, true] {
            try await withTeardown { teardown in
                // A current agent beside it: the node asks it on its own subject, the legacy one on the node-wide one.
                let echo = InMemoryNexlet(name: "echo", registerType: "echo")
                let runner = quietRunner(echo)
                let secure = try await SecureNode.start(embedded: [runner]) { $0.allowLegacyNexlets = allowed }
                teardown.add { await secure.stop() }
                teardown.add { await runner.stop() }
                let nodeID = secure.node.id
                let agentID = "goagent"
                let registrationCredentials = try secure.minter.mintRegistration(agentID: agentID, nodeID: nodeID)
                let goNexlet = try await secure.env.connect(registrationCredentials, name: "go-nexlet")
                teardown.add { await goNexlet.close() }
                let reply = try await send(
                    NexSubject.register(nodeID: nodeID, agentID: agentID), payload: try registration(type: "go", xkey: try NexletXKey.generate().publicKey),
                    on: goNexlet, signedBy: nil)
                guard allowed else {
                    #expect(reply.nexError?.status == 403)
                    #expect(reply.nexError?.error.contains("--allow-legacy-nexlets") == true, "\(reply.string)")
                    return
                }
                #expect(reply.nexError == nil, "\(reply.string)")
                #expect(reply.headers[NexHeader.agentProfile] == nil)
                let response = try reply.decode(RegisterAgentResponse.self)
                let agent = try await secure.env.connect(jwt: response.connectionData.natsUserJWT, seed: response.connectionData.natsUserSeed, name: "go-agent")
                teardown.add { await agent.close() }
                let summary = WorkloadSummary(id: "legacy-1", name: "old", namespace: "user", workloadType: "go", workloadLifecycle: "service", workloadState: .running)
                let queries = try agent.subscribe(NexSubscription.agentQueryWorkloads(nodeID: nodeID), queue: agentID) { message in
                    try? agent.respond(to: message, payload: (try? GoJSON.encode([summary])) ?? Data())
                }
                try await agent.flush()
                let user = try NexClient(connection: secure.client, namespace: "user")
                let current = try await user.deploy(StartWorkloadRequest(name: "w", namespace: "user", workloadType: "echo", runRequest: "{}")).response.id
                #expect(Set(try await user.listWorkloads().value.all.map(\.id)) == ["legacy-1", current])
                #expect(try await user.stopWorkload(id: current).stopped)
                queries.unsubscribe()
            }
        }
    }
}

/// Placement counts the workloads the node itself placed on an agent, never the agent's own report.
@Suite struct PlacementLoadTests {
    /// The agent's heartbeat (every 10 s) still reports no workload after the first deploy; the node does not
    /// bid a second time past `max_workloads` 1, and bids again once the first workload stopped.
    @Test func capacityCountsWhatTheNodePlaced() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet(name: "single", registerType: "single", maxWorkloads: 1)
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            func deploy(_ name: String) async throws -> String {
                try await user.deploy(StartWorkloadRequest(name: name, namespace: "user", workloadType: "single", runRequest: "{}")).response.id
            }
            let first = try await deploy("a")

            let auction = try await user.auction(agentType: "single")
            #expect(auction.bids.isEmpty)
            #expect(auction.declines.first?.reason.contains("at capacity") == true, "\(auction.declines)")
            let full = await #expect(throws: NexError.self) { _ = try await deploy("b") }
            #expect(full?.status == 404 && full?.body == "no nodes available for placement" && full?.error.contains("every agent of type single is at capacity") == true, "\(String(describing: full))")
            #expect(nexlet.workloads.map(\.id) == [first])

            // Positive control: room again once the node stopped it.
            #expect(try await user.stopWorkload(id: first).stopped)
            let second = try await deploy("c")
            #expect(nexlet.workloads.map(\.id) == [second])
        }
    }
}
