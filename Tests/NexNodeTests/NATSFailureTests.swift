import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import Testing

/// The node keeps working when NATS itself has trouble (decisions.md §3, issue "state" fault cases 4 and 5).
@Suite struct NATSFailureTests {
    static func request(_ name: String) -> StartWorkloadRequest {
        StartWorkloadRequest(name: name, namespace: "user", workloadType: "inmem", runRequest: "{}")
    }

    @Test func nodeReconnectsAfterTheServerRestartsAndDeploysAgain() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let seed = try #require(try KeyPair.generate(.server).seed)
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "node", reconnectWait: .milliseconds(50)))
            let nexlet = InMemoryNexlet()
            var options = NodeOptions()
            options.nodeSeed = seed
            options.minter = FullAccessMinter(servers: [server.url])
            options.state = try await KVWorkloadState.open(connection: connection, nodeID: try KeyPair(seed: seed).publicKey)
            options.logger.logLevel = .error
            options.embed(nexlet)
            let node = try NexNode(connection: connection, options: options)
            teardown.add { await node.shutdown() }
            try await node.start()
            let clientConnection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "client", reconnectWait: .milliseconds(50)))
            let client = try NexClient(connection: clientConnection, namespace: "user")
            _ = try await client.deploy(Self.request("before"), tags: nil)

            try await server.restart()
            // Node, nexlet and client reconnect on their own; the next deploy (auction, agent, KV write) works.
            try await eventually("deploy after the restart", timeout: .seconds(30), poll: .milliseconds(100)) {
                (try? await client.deploy(Self.request("after"), tags: nil)) != nil
            }
            #expect(nexlet.workloads.map(\.name).sorted() == ["after", "before"])
            #expect(try await options.state.all().count == 2)
        }
    }

    @Test func replicatedStateSurvivesLosingAServer() async throws {
        try await withTeardown { teardown in
            let cluster = try await NATSCluster.start(size: 3)
            teardown.add { await cluster.stop() }
            let seed = try #require(try KeyPair.generate(.server).seed)
            let nodeID = try KeyPair(seed: seed).publicKey
            func connect(_ name: String) async throws -> NatsConnection {
                try await NatsConnection.connect(NatsConnectOptions(servers: cluster.urls, name: name, reconnectWait: .milliseconds(50)))
            }
            let stateConnection = try await connect("state")
            // The JetStream meta leader needs a moment after the cluster formed.
            let state = try await withDeadline(.seconds(30), "R3 bucket") {
                while true {
                    if let state = try? await KVWorkloadState.open(connection: stateConnection, nodeID: nodeID, replicas: 3) { return state }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            func startNode(_ nexlet: InMemoryNexlet) async throws -> NexNode {
                var options = NodeOptions()
                options.nodeSeed = seed
                options.minter = FullAccessMinter(servers: cluster.urls)
                options.state = state
                options.logger.logLevel = .error
                options.embed(nexlet)
                let node = try NexNode(connection: try await connect("node"), options: options)
                try await node.start()
                return node
            }
            let first = InMemoryNexlet()
            let node = try await startNode(first)
            let client = try NexClient(connection: try await connect("client"), namespace: "user")
            _ = try await client.deploy(Self.request("one"), tags: nil)

            // Lose a server that the state connection is not using.
            let used = stateConnection.connectedURL ?? ""
            let victim = try #require(cluster.servers.first { !used.hasSuffix(":\($0.port)") })
            await victim.stop()
            try await eventually("deploy with a server down", timeout: .seconds(30), poll: .milliseconds(100)) {
                (try? await client.deploy(Self.request("two"), tags: nil)) != nil
            }
            // Right after losing a server the stream may still be electing a leader: reads can time out briefly.
            try await eventually("both workloads stored", timeout: .seconds(30), poll: .milliseconds(200)) {
                (try? await state.all().count) == 2
            }

            // Replay from the R3 bucket with one server still down.
            await node.shutdown()
            let second = InMemoryNexlet()
            let restarted = try await startNode(second)
            teardown.add { await restarted.shutdown() }
            try await eventually("both workloads replayed", timeout: .seconds(40)) { second.counters.replays == 2 }
            #expect(Set(second.workloads.map(\.name)) == ["one", "two"])
        }
    }
}
