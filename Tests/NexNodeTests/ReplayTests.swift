import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import Testing

/// Desired workloads in KV come back after a node restart, exactly once (decisions.md §3).
@Suite struct ReplayTests {
    /// A node with a fixed seed and KV state on its own connection.
    static func node(_ server: NATSServer, seed: String, nexlets: [InMemoryNexlet]) async throws -> (NexNode, NatsConnection) {
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "replay-node"))
        let nodeID = try KeyPair(seed: seed).publicKey
        var options = NodeOptions()
        options.nodeSeed = seed
        options.minter = FullAccessMinter(servers: [server.url])
        options.state = try await KVWorkloadState.open(connection: connection, nodeID: nodeID)
        options.logger.logLevel = .error
        for nexlet in nexlets { options.embed(nexlet) }
        let node = try NexNode(connection: connection, options: options)
        try await node.start()
        return (node, connection)
    }

    static func request(_ index: Int) -> StartWorkloadRequest {
        StartWorkloadRequest(name: "svc-\(index)", namespace: "user", workloadType: "inmem", runRequest: #"{"n":\#(index)}"#)
    }

    @Test func crashedNodeBringsBackEveryWorkloadOnce() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let seed = try #require(try KeyPair.generate(.server).seed)
            let first = InMemoryNexlet()
            let (node, connection) = try await Self.node(server, seed: seed, nexlets: [first])
            let clientConnection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "client"))
            let client = try NexClient(connection: clientConnection, namespace: "user")
            var ids: Set<String> = []
            for index in 0..<50 {
                ids.insert(try await client.deploy(Self.request(index), tags: nil).response.id)
            }
            let stopped = try await client.stopWorkload(id: try #require(ids.first))
            #expect(stopped.stopped)
            ids.remove(stopped.id)

            // A crash: the connection drops without any shutdown (nothing is stopped or cleaned up).
            await connection.close()
            _ = node

            let second = InMemoryNexlet()
            let (restarted, _) = try await Self.node(server, seed: seed, nexlets: [second])
            teardown.add { await restarted.shutdown() }
            #expect(restarted.id == node.id)
            try await eventually("49 workloads replayed") { second.counters.replays == 49 }
            #expect(Set(second.workloads.map(\.id)) == ids)
            #expect(second.workloads.allSatisfy { $0.replayed && $0.namespace == "user" })
            // They are listed and can be stopped like any other.
            let listed = try await client.listWorkloads(filter: nil).get().all
            #expect(listed.count == 49)
        }
    }

    @Test func twoAgentsOfOneTypeShareTheReplayWithoutDuplicates() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let seed = try #require(try KeyPair.generate(.server).seed)
            let (node, connection) = try await Self.node(server, seed: seed, nexlets: [InMemoryNexlet()])
            let client = try NexClient(connection: try await NatsConnection.connect(NatsConnectOptions(servers: [server.url])), namespace: "user")
            for index in 0..<20 { _ = try await client.deploy(Self.request(index), tags: nil) }
            await connection.close()
            _ = node

            let a = InMemoryNexlet(), b = InMemoryNexlet()
            let (restarted, _) = try await Self.node(server, seed: seed, nexlets: [a, b])
            teardown.add { await restarted.shutdown() }
            try await eventually("20 workloads replayed") { a.counters.replays + b.counters.replays == 20 }
            let all = a.workloads.map(\.id) + b.workloads.map(\.id)
            #expect(all.count == 20)
            #expect(Set(all).count == 20)
        }
    }

    @Test func stoppedWorkloadsAndFailedStartsDoNotComeBack() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let seed = try #require(try KeyPair.generate(.server).seed)
            let nexlet = InMemoryNexlet()
            let (node, connection) = try await Self.node(server, seed: seed, nexlets: [nexlet])
            let client = try NexClient(connection: try await NatsConnection.connect(NatsConnectOptions(servers: [server.url])), namespace: "user")
            let keep = try await client.deploy(Self.request(1), tags: nil).response.id
            let stop = try await client.deploy(Self.request(2), tags: nil).response.id
            _ = try await client.stopWorkload(id: stop)
            nexlet.failNextStart()
            let injected = await #expect(throws: NexError.self) { _ = try await client.deploy(Self.request(3), tags: nil) }
            #expect(injected?.status == NexErrorCode.agent && injected?.body == "injected start failure" && injected?.error == "injected start failure", "\(String(describing: injected))")
            await node.shutdown()
            await connection.close()

            let again = InMemoryNexlet()
            let (restarted, _) = try await Self.node(server, seed: seed, nexlets: [again])
            teardown.add { await restarted.shutdown() }
            try await eventually("one workload replayed") { again.counters.replays == 1 }
            #expect(again.workloads.map(\.id) == [keep])
        }
    }
}
