import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import OperatorTestSupport
import Testing

/// Secrets of a workload definition (the run request's environment) and the workload's minted seed, at rest
/// in the state bucket and in flight to the agent: an unrestricted user of the account (who can read the
/// bucket and subscribe to everything) learns neither, while the agent and the replay still get both.
@Suite struct SealedPayloadTests {
    /// An operator-mode server, a node seed and the signing-key minter for that node.
    struct Setup {
        let env: OperatorEnvironment
        let seed: String
        let nodeID: String

        static func start() async throws -> Setup {
            let env = try await OperatorEnvironment.start()
            let keys = try KeyPair.generate(.server)
            return Setup(env: env, seed: try #require(keys.seed), nodeID: keys.publicKey)
        }

        /// A node with KV state on its own unrestricted connection (the node's own identity).
        func node(_ nexlets: InMemoryNexlet...) async throws -> (NexNode, NatsConnection) {
            let connection = try await env.connectUnrestricted(name: "node")
            var options = NodeOptions()
            options.nodeSeed = seed
            options.nexus = env.nexus
            options.minter = try SigningKeyMinter(
                signingSeed: env.signingKey.seed ?? "", rootAccount: env.account.publicKey, nodeID: nodeID, nexus: env.nexus,
                servers: [env.server.url])
            options.state = try await KVWorkloadState.open(connection: connection, nodeID: nodeID)
            options.logger.logLevel = .critical
            for nexlet in nexlets { options.embed(nexlet) }
            let node = try NexNode(connection: connection, options: options)
            try await node.start()
            return (node, connection)
        }
    }

    static func request(secret: String) -> StartWorkloadRequest {
        StartWorkloadRequest(name: "svc", namespace: "user", workloadType: "inmem",
                             runRequest: #"{"environment":{"TOKEN":"\#(secret)"},"argv":["--password=\#(secret)"]}"#)
    }

    static func secret() -> String { "s3cret-\(UUID().uuidString)" }

    /// Attack: read the raw state bucket and every message on the server (REGISTER replies, STARTWORKLOAD
    /// requests) as an unrestricted user. Positive control: the agent gets the environment and its seed, and a
    /// restarted node replays the workload with its environment.
    @Test func neitherTheBucketNorTheWireShowsTheEnvironmentOrTheWorkloadSeed() async throws {
        try await withTeardown { teardown in
            let setup = try await Setup.start()
            let secret = Self.secret()
            let observer = try await setup.env.connectUnrestricted(name: "observer")
            let everything = try observer.subscribe(">")
            try await observer.flush()

            let first = InMemoryNexlet()
            let (node, nodeConnection) = try await setup.node(first)
            let client = try NexClient(connection: try await setup.env.connectUnrestricted(name: "client"), namespace: "user")
            let id = try await client.deploy(Self.request(secret: secret), tags: nil).response.id
            let received = try #require(first.workload(id: id))
            #expect(received.request.runRequest.contains(secret))
            let firstSeed = received.credentials.natsUserSeed
            #expect(firstSeed.hasPrefix("SU"))

            let bucket = try await JetStream(observer).keyValue(StateKey.bucket(nodeID: setup.nodeID))
            let stored = try await bucket.entries()
            #expect(stored.count == 1)
            for entry in stored {
                let text = String(decoding: entry.value, as: UTF8.self)
                #expect(!text.contains(secret))
                #expect(!text.contains("TOKEN"))
                #expect(text.contains(SealedText.prefix))
                #expect(!text.contains(firstSeed))
            }

            // A crash, then the same seed again: the replay opens the sealed value and hands it to the new agent.
            await nodeConnection.close()
            _ = node
            let second = InMemoryNexlet()
            let (restarted, _) = try await setup.node(second)
            teardown.add { await restarted.shutdown() }
            try await eventually("the workload replayed") { second.counters.replays == 1 }
            let replayed = try #require(second.workload(id: id))
            #expect(replayed.request.runRequest == Self.request(secret: secret).runRequest)
            let secondSeed = replayed.credentials.natsUserSeed
            #expect(secondSeed.hasPrefix("SU"))

            let seen = try await drainAndCollect(everything)
            let starts = seen.filter { $0.subject.contains(".STARTWORKLOAD.") }
            let registerReplies = seen.filter { String(decoding: $0.payload, as: UTF8.self).contains("\"existing_state\"") }
            #expect(starts.count == 1)
            #expect(registerReplies.count == 2)
            #expect(registerReplies.contains { String(decoding: $0.payload, as: UTF8.self).contains(id) })
            // The client's own ADEPLOY carries what the client chose to send (it seals with encrypted_environment
            // to the nexlet's xkey when it wants to); everything the node writes or sends must not.
            let deploys = seen.filter { $0.subject.contains(".control.ADEPLOY.") }
            #expect(deploys.count == 1)
            for message in seen where !message.subject.contains(".control.ADEPLOY.") {
                let text = String(decoding: message.payload, as: UTF8.self)
                #expect(!text.contains(secret), "\(message.subject) carries the environment in the clear")
                #expect(!text.contains(firstSeed) && !text.contains(secondSeed), "\(message.subject) carries the workload seed")
            }
        }
    }

    /// Go nexlets cannot open sealed strings: an agent that does not ask for them gets the clear form (what
    /// the observer sees then is the limit of the legacy protocol), and still runs the workload.
    @Test func anAgentThatDoesNotAskForSealedPayloadsGetsTheClearForm() async throws {
        try await withTeardown { teardown in
            let setup = try await Setup.start()
            let secret = Self.secret()
            let observer = try await setup.env.connectUnrestricted(name: "observer")
            let starts = try observer.subscribe("$NEX.SVC.\(setup.nodeID).agent.*.STARTWORKLOAD.*")
            try await observer.flush()
            let legacy = InMemoryNexlet(sealedPayloads: false)
            let (node, _) = try await setup.node(legacy)
            teardown.add { await node.shutdown() }
            let client = try NexClient(connection: try await setup.env.connectUnrestricted(name: "client"), namespace: "user")
            let id = try await client.deploy(Self.request(secret: secret), tags: nil).response.id
            #expect(legacy.workload(id: id)?.request.runRequest.contains(secret) == true)
            let seen = try await drainAndCollect(starts)
            #expect(seen.count == 1)
            #expect(seen.allSatisfy { String(decoding: $0.payload, as: UTF8.self).contains(secret) })
        }
    }

    /// Attack: a value in the bucket sealed with another key (or garbage in the sealed form). The replay logs
    /// and skips it and still brings back the good workload (positive control), and a clear value as a Go
    /// node writes it.
    @Test func aStoredValueThatDoesNotOpenIsSkippedAndTheRestReplays() async throws {
        try await withTeardown { teardown in
            let setup = try await Setup.start()
            let first = InMemoryNexlet()
            let (node, nodeConnection) = try await setup.node(first)
            let client = try NexClient(connection: try await setup.env.connectUnrestricted(name: "client"), namespace: "user")
            let good = try await client.deploy(Self.request(secret: Self.secret()), tags: nil).response.id

            let observer = try await setup.env.connectUnrestricted(name: "writer")
            let bucket = try await JetStream(observer).keyValue(StateKey.bucket(nodeID: setup.nodeID))
            let stranger = try XKeyPair.generate()
            var foreign = Self.request(secret: "foreign")
            foreign.runRequest = try SealedText.seal(foreign.runRequest, from: stranger, to: stranger)
            _ = try await bucket.put(StateKey.key(workloadType: "inmem", workloadID: "FOREIGN1"), try GoJSON.encode(foreign))
            var garbage = Self.request(secret: "garbage")
            garbage.runRequest = SealedText.prefix + "not-a-key:AAAA"
            _ = try await bucket.put(StateKey.key(workloadType: "inmem", workloadID: "GARBAGE1"), try GoJSON.encode(garbage))
            let written = Self.request(secret: "from-go")
            _ = try await bucket.put(StateKey.key(workloadType: "inmem", workloadID: "GOCLEAR1"), try GoJSON.encode(written))

            await nodeConnection.close()
            _ = node
            let second = InMemoryNexlet()
            let (restarted, _) = try await setup.node(second)
            teardown.add { await restarted.shutdown() }
            try await eventually("the good workloads replayed") { second.counters.replays == 2 }
            #expect(Set(second.workloads.map(\.id)) == [good, "GOCLEAR1"])
            #expect(second.workload(id: "GOCLEAR1")?.request.runRequest == written.runRequest)
            #expect(restarted.state == .running)
        }
    }
}
