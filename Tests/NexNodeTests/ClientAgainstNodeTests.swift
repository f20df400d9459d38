import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexNode
import NexProtocol
import Testing

/// The real client against real nodes (no nexlets): what an operator sees first.
@Suite struct ClientAgainstNodeTests {
    @Test func listInfoAndPlacementTags() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start(nodes: 3) { options, index in options.tags = ["rack": "r\(index)"] }
            teardown.add { await harness.stop() }
            let client = try NexClient(connection: harness.client, namespace: "system")
            let nodes = try await client.listNodes(filter: nil).get()
            #expect(Set(nodes.map(\.nodeID)) == Set(harness.nodes.map(\.id)))
            let filtered = try await client.listNodes(filter: ["rack": "r1"]).get()
            #expect(filtered.map(\.nodeID) == [harness.nodes[1].id])
            let info = try await client.nodeInfo(nodeID: harness.nodes[2].id)
            #expect(info.tags?["rack"] == "r2")
            let unknown = await #expect(throws: NexError.self) { _ = try await client.nodeInfo(nodeID: "NNOTANODE") }
            #expect(unknown?.status == 404 && unknown?.body == "node not found" && unknown?.error == "node not found", "\(String(describing: unknown))")
            let tags = try await client.placementTags().get()
            #expect(tags["nex.nexus"] == "nexus")
        }
    }

    @Test func auctionWithNoAgentsEndsAsSoonAsEveryNodeDeclined() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start(nodes: 3)
            teardown.add { await harness.stop() }
            let client = try NexClient(connection: harness.client, namespace: "user")
            // The nodes learn each other's count from their greeting heartbeats.
            try await eventually("all nodes declined") {
                let result = try await client.auction(agentType: "native")
                return result.bids.isEmpty && result.declines.count == 3 && result.stopReason == .allNodesAnswered
            }
            let result = try await client.auction(agentType: "native")
            #expect(result.declineSummary?.contains("no healthy agent of type native") == true)
        }
    }

    @Test func lameduckByTheClient() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start(nodes: 2)
            teardown.add { await harness.stop() }
            let client = try NexClient(connection: harness.client, namespace: "system")
            let target = harness.nodes[0]
            let response = try await client.setLameduck(nodeID: target.id, delay: .milliseconds(200), tag: nil)
            #expect(response.success)
            #expect(response.message.hasPrefix("node entering lameduck mode, will shutdown at "))
            // The node reports lameduck, then shuts down by itself with the lameduck reason.
            let reason = try await withDeadline(.seconds(10)) { await target.waitForShutdown() }
            #expect(reason == .lameduck)
            // The other node is untouched.
            #expect(harness.nodes[1].state == .running)
        }
    }

    @Test func lameduckWithANonMatchingTagIsIgnored() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start { options, _ in options.tags = ["zone": "a"] }
            teardown.add { await harness.stop() }
            let client = try NexClient(connection: harness.client, namespace: "system").with { $0.requestTimeout = .milliseconds(300) }
            let ignored = await #expect(throws: NexError.self) {
                _ = try await client.setLameduck(nodeID: harness.node.id, delay: .seconds(1), tag: ["zone": "b"])
            }
            // The node stays silent: the client gives up at its deadline.
            #expect(ignored?.status == 500 && ignored?.body == "failed to request lameduck" && ignored?.error == "failed to request lameduck: timed out", "\(String(describing: ignored))")
            #expect(harness.node.state == .running)
            let matching = try await client.with { $0.requestTimeout = .seconds(5) }
                .setLameduck(nodeID: harness.node.id, delay: .seconds(30), tag: ["zone": "a"])
            #expect(matching.success)
            #expect(harness.node.state == .lameduck)
            #expect(harness.node.tags["nex.lameduck"] == "true")
        }
    }
}
