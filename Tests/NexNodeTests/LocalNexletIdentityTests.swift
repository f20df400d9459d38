import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexletTestSupport
@testable import NexNode
import NexProtocol
import Testing

/// A local nexlet process gets its identity seed from the node (`NEX_AGENT_IDENTITY_SEED`); the node binds
/// the agent id to that key before it spawns the process, so only the process (and its restarts) register.
@Suite struct LocalNexletIdentityTests {
    @Test func localNexletProvesItselfWithTheSeedTheNodeGave() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let node = harness.node
            let agentID = "local1"
            let identity = try KeyPair.generate(.user)
            // What the node's supervision does before it spawns a local nexlet.
            node.core.identities.bind(agentID, to: identity.publicKey)
            let given = NexletEnvironment(
                nodeID: node.id, agentID: agentID, registration: NatsConnectionData(natsServers: [harness.server.url]),
                identitySeed: identity.seed ?? "")
            #expect(given.variables[NexletEnvironment.identitySeedVariable] == identity.seed)

            // Without the seed (another process that learnt the id and the credentials) it is refused.
            var withoutSeed = given
            withoutSeed.identitySeed = ""
            let stranger = NexletRunner(runtime: InMemoryNexlet(name: "stranger", registerType: "local"))
            do {
                try await stranger.runFromEnvironment(withoutSeed.variables)
                Issue.record("a nexlet without the node's seed registered as \(agentID)")
            } catch let error as NexletRunnerError {
                guard case .registrationRefused(let code, let message, _) = error else { throw error }
                #expect(code == 403)
                #expect(message == "agent identity not proven")
            }

            // The process registers; a restarted process (a new runner, same environment) too.
            let first = InMemoryNexlet(name: "local", registerType: "local")
            let process = NexletRunner(runtime: first)
            try await process.runFromEnvironment(given.variables)
            await process.stop()
            let again = InMemoryNexlet(name: "local", registerType: "local")
            let restarted = NexletRunner(runtime: again)
            teardown.add { await restarted.stop() }
            try await restarted.runFromEnvironment(given.variables)
            let user = try NexClient(connection: harness.client, namespace: "user")
            let bid = try #require(try await user.auction(agentType: "local").bids.first)
            #expect(bid.xkey == again.registration.publicXkey)
        }
    }

    @Test func aMalformedIdentitySeedIsReportedByName() throws {
        #expect(throws: NexletRunnerError.self) {
            try NexletEnvironment([
                "NEX_AGENT_NATS_SERVERS": "nats://x:1", "NEX_AGENT_NODE_ID": "N", "NEX_AGENT_ASSIGNED_ID": "A",
                NexletEnvironment.identitySeedVariable: "not-a-seed",
            ])
        }
    }
}
