import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import Testing

/// The node's stop order: requests in flight finish before the agents stop, deploys arriving meanwhile are
/// refused with a clear error, and the bound on waiting holds.
@Suite("node shutdown")
struct ShutdownTests {
    static func request(_ name: String) -> StartWorkloadRequest {
        StartWorkloadRequest(name: name, namespace: "user", description: "shutdown test", workloadType: "inmem",
                             workloadLifecycle: .service, runRequest: "{}")
    }

    /// Runs `body` against a node with one in-memory nexlet, shutting the node down on every exit path.
    static func withNode(
        drainTimeout: Duration = .seconds(10), _ body: (NodeHarness, InMemoryNexlet, NexClient) async throws -> Void
    ) async throws {
        let nexlet = InMemoryNexlet()
        let harness = try await NodeHarness.start { options, _ in
            options.embed([nexlet], requestDrainTimeout: drainTimeout)
            options.drainTimeout = drainTimeout
        }
        do {
            try await body(harness, nexlet, try NexClient(connection: harness.client, namespace: "user"))
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("a deploy in flight at shutdown is acknowledged; a deploy arriving while stopping gets 400 node is stopping")
    func inFlightFinishesLateOneRefused() async throws {
        try await Self.withNode { harness, nexlet, user in
            // A bid for the late deploy, made while the node still bids.
            let late = try #require(try await user.auction(agentType: "inmem").bids.first)
            nexlet.setStartDelay(.seconds(2))
            let slow = Task { try await user.deploy(Self.request("slow"), tags: nil) }
            try await eventually("the slow deploy reached the nexlet") { nexlet.counters.startsBegun == 1 }

            let stopping = Task { await harness.node.shutdown() }
            try await eventually("the node stopping") { harness.node.state == .stopping }
            let reply = try await harness.client.request(
                NexSubject.auctionDeploy(namespace: "user", bidID: late.bidderID), payload: try GoJSON.encode(Self.request("late")),
                timeout: .seconds(5))
            let refusal = try #require(NexError(reply: reply), "the late deploy was not refused: \(String(decoding: reply.payload, as: UTF8.self))")
            #expect(refusal.status == NexErrorCode.badRequest)
            #expect(refusal.body == "node is stopping")

            // The node waited for the slow deploy before stopping its agents: the client got its acknowledgement.
            let deployed = try await slow.value
            #expect(deployed.response.name == "slow")
            await stopping.value
            #expect(nexlet.counters.starts == 1)
            #expect(nexlet.workloads.map(\.name) == ["slow"])
            #expect(harness.node.shutdownReason == .requested)
        }
    }

    @Test("a request still in flight after the drain bound is cancelled and the node stops")
    func drainIsBounded() async throws {
        try await Self.withNode(drainTimeout: .milliseconds(300)) { harness, nexlet, user in
            nexlet.setStartDelay(.seconds(30))
            let slow = Task { try await user.deploy(Self.request("stuck"), tags: nil) }
            try await eventually("the deploy reached the nexlet") { nexlet.counters.startsBegun == 1 }
            let began = ContinuousClock.now
            await harness.node.shutdown()
            let took = ContinuousClock.now - began
            #expect(took < .seconds(10), "shutdown took \(took)")
            #expect(nexlet.counters.starts == 0)
            slow.cancel()
            _ = try? await slow.value
        }
    }
}
