import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import Testing

/// Auction, deploy, list, stop and clone through the real client, nodes and SDK (protocol.md §7.1–§7.2).
@Suite struct DeployFlowTests {
    static func request(_ name: String = "hello", namespace: String = "user", type: String = "inmem",
                        lifecycle: WorkloadLifecycle = .service, runRequest: String = "{}") -> StartWorkloadRequest {
        StartWorkloadRequest(name: name, namespace: namespace, description: "test workload", workloadType: type,
                             workloadLifecycle: lifecycle, runRequest: runRequest)
    }

    @Test func deployListStopInOwnNamespace() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            let deployed = try await user.deploy(Self.request(), tags: nil)
            #expect(deployed.response.name == "hello")
            #expect(!deployed.response.id.isEmpty)
            #expect(nexlet.workload(id: deployed.response.id)?.namespace == "user")

            let listing = try await user.listWorkloads(filter: nil).get()
            #expect(listing.all.map(\.id) == [deployed.response.id])
            #expect(listing.all.first?.namespace == "user")

            let stopped = try await user.stopWorkload(id: deployed.response.id)
            #expect(stopped.stopped)
            #expect(stopped.workloadType == "inmem")
            #expect(try await user.listWorkloads(filter: nil).get().all.isEmpty)
        }
    }

    @Test func systemStopsAWorkloadOfAnotherNamespace() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            let system = try NexClient(connection: harness.client, namespace: "system")
            let deployed = try await user.deploy(Self.request(), tags: nil)
            #expect(try await system.listWorkloads(filter: nil).get().all.map(\.namespace) == ["user"])
            let stopped = try await system.stopWorkload(id: deployed.response.id)
            #expect(stopped.stopped)
            #expect(stopped.id == deployed.response.id)
            let missing = await #expect(throws: NexError.self) { _ = try await system.stopWorkload(id: "does-not-exist") }
            #expect(missing?.status == 404 && missing?.body == "workload not found" && missing?.error == "workload not found", "\(String(describing: missing))")
        }
    }

    @Test func namespacesAreIsolated() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let alice = try NexClient(connection: harness.client, namespace: "alice")
            let bob = try NexClient(connection: harness.client, namespace: "bob")
            let deployed = try await alice.deploy(Self.request(namespace: "alice"), tags: nil)
            #expect(try await bob.listWorkloads(filter: nil).get().all.isEmpty)
            let stop = try await bob.stopWorkload(id: deployed.response.id)
            #expect(!stop.stopped)
            #expect(stop.message == "workload not found")
            let foreign = await #expect(throws: NexError.self) { _ = try await bob.cloneWorkload(id: deployed.response.id, tags: nil, stopOriginal: false) }
            #expect(foreign?.status == 404 && foreign?.body == "workload not found" && foreign?.error == "workload not found", "\(String(describing: foreign))")
            // Bob cannot deploy into Alice's namespace with his subject either (403).
            let bid = try #require(try await bob.auction(agentType: "inmem").bids.first)
            await #expect {
                _ = try await harness.client.request(NexSubject.auctionDeploy(namespace: "bob", bidID: bid.bidderID),
                                                     payload: try GoJSON.encode(Self.request(namespace: "alice")))
                    .nexErrorOrThrow()
            } throws: { error in
                (error as? NexError)?.status == 403
            }
            #expect(nexlet.workloads.count == 1)
        }
    }

    @Test func cloneWithAndWithoutStoppingTheOriginal() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            let original = try await user.deploy(Self.request(runRequest: #"{"x":1}"#), tags: nil)
            let copy = try await user.cloneWorkload(id: original.response.id, tags: nil, stopOriginal: false)
            #expect(copy.deployed.response.id != original.response.id)
            #expect(nexlet.workload(id: copy.deployed.response.id)?.request.runRequest == #"{"x":1}"#)
            #expect(try await user.listWorkloads(filter: nil).get().all.count == 2)

            // The system namespace clones a user workload into the user namespace and stops the original.
            let system = try NexClient(connection: harness.client, namespace: "system")
            let moved = try await system.cloneWorkload(id: original.response.id, tags: nil, stopOriginal: true)
            let remaining = try await user.listWorkloads(filter: nil).get().all
            #expect(Set(remaining.map(\.id)) == [copy.deployed.response.id, moved.deployed.response.id])
            #expect(remaining.allSatisfy { $0.namespace == "user" })
        }
    }

    @Test func runRequestIsValidatedAgainstTheNexletSchema() async throws {
        try await withTeardown { teardown in
            let schema = #"{"type":"object","properties":{"uri":{"type":"string"}},"required":["uri"]}"#
            let nexlet = InMemoryNexlet(startRequestSchema: schema)
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            await #expect {
                _ = try await user.deploy(Self.request(runRequest: #"{"uri":7}"#), tags: nil)
            } throws: { error in
                guard let error = error as? NexError else { return false }
                return error.status == 400 && error.body == "failed to validate run request" && error.error.contains("/uri")
            }
            await #expect {
                _ = try await user.deploy(Self.request(runRequest: "not json"), tags: nil)
            } throws: { error in
                (error as? NexError)?.body == "failed to unmarshal start request"
            }
            #expect(nexlet.workloads.isEmpty)
            _ = try await user.deploy(Self.request(runRequest: #"{"uri":"file:///bin/true"}"#), tags: nil)
            #expect(nexlet.workloads.count == 1)
        }
    }

    @Test func unsupportedLifecycleIsRefusedByTheNode() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet(supportedLifecycles: [.service])
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            let bid = try #require(try await user.auction(agentType: "inmem").bids.first)
            await #expect {
                _ = try await user.startWorkload(Self.request(lifecycle: .job), bid: bid)
            } throws: { error in
                (error as? NexError)?.status == 400 && (error as? NexError)?.body == "workload lifecycle not supported"
            }
            // The refused deploy used the bid up: a retry with it is unknown to the node (silent), a fresh bid works.
            let impatient = user.with { $0.startWorkloadTimeout = .milliseconds(500) }
            let retry = await #expect(throws: NexError.self) { _ = try await impatient.startWorkload(Self.request(lifecycle: .service), bid: bid) }
            #expect(retry?.status == 500 && retry?.body == "failed to request start workload" && retry?.error == "failed to request start workload: timed out", "\(String(describing: retry))")
            #expect(nexlet.workloads.isEmpty)
            _ = try await user.deploy(Self.request(lifecycle: .service), tags: nil)
            #expect(nexlet.workloads.count == 1)
        }
    }

    /// Attack: retrying a deploy with the same bid after a refused run request (to probe the schema or the
    /// admission checks without limit). The first attempt uses the bid up; a fresh bid is the positive control.
    @Test func aDeployRefusedForItsRunRequestUsesTheBidUp() async throws {
        try await withTeardown { teardown in
            let schema = #"{"type":"object","properties":{"uri":{"type":"string"}},"required":["uri"]}"#
            let nexlet = InMemoryNexlet(startRequestSchema: schema)
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            let bid = try #require(try await user.auction(agentType: "inmem").bids.first)
            await #expect {
                _ = try await user.startWorkload(Self.request(runRequest: #"{"uri":7}"#), bid: bid)
            } throws: { error in
                (error as? NexError)?.body == "failed to validate run request"
            }
            let impatient = user.with { $0.startWorkloadTimeout = .milliseconds(500) }
            let retry = await #expect(throws: NexError.self) {
                _ = try await impatient.startWorkload(Self.request(runRequest: #"{"uri":"file:///bin/true"}"#), bid: bid)
            }
            #expect(retry?.status == 500 && retry?.body == "failed to request start workload" && retry?.error == "failed to request start workload: timed out", "\(String(describing: retry))")
            #expect(nexlet.workloads.isEmpty)
            let fresh = try #require(try await user.auction(agentType: "inmem").bids.first)
            _ = try await user.startWorkload(Self.request(runRequest: #"{"uri":"file:///bin/true"}"#), bid: fresh)
            #expect(nexlet.workloads.count == 1)
        }
    }

    /// Attack: namespace A floods the node with auctions to push B's outstanding bid out of the bid book.
    /// Only A's own oldest bids are dropped; B's earlier bid still deploys (positive control: A's newest too).
    @Test func anAuctionFloodFromOneNamespaceLeavesAnotherNamespacesBidUsable() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in
                options.embed(nexlet)
                options.maxBidsPerNamespace = 5
                options.auctionTTL = .seconds(60)
            }
            teardown.add { await harness.stop() }
            let alice = try NexClient(connection: harness.client, namespace: "alice")
            let bob = try NexClient(connection: harness.client, namespace: "bob")
            let bobsBid = try #require(try await bob.auction(agentType: "inmem").bids.first)
            let firstOfAlice = try #require(try await alice.auction(agentType: "inmem").bids.first)
            var lastOfAlice = firstOfAlice
            for _ in 0..<40 {
                lastOfAlice = try #require(try await alice.auction(agentType: "inmem").bids.first)
            }
            _ = try await bob.startWorkload(Self.request(namespace: "bob"), bid: bobsBid)
            _ = try await alice.startWorkload(Self.request(namespace: "alice"), bid: lastOfAlice)
            // Alice's oldest bid was evicted by her own flood.
            let impatient = alice.with { $0.startWorkloadTimeout = .milliseconds(500) }
            let evicted = await #expect(throws: NexError.self) { _ = try await impatient.startWorkload(Self.request(namespace: "alice"), bid: firstOfAlice) }
            #expect(evicted?.status == 500 && evicted?.body == "failed to request start workload" && evicted?.error == "failed to request start workload: timed out", "\(String(describing: evicted))")
            #expect(Set(nexlet.workloads.map(\.namespace)) == ["alice", "bob"])
        }
    }

    @Test func aBidDeploysOnce() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            let bid = try #require(try await user.auction(agentType: "inmem").bids.first)
            _ = try await user.startWorkload(Self.request(), bid: bid)
            // The used bid is unknown now: the node stays silent and the client gives up at its deadline.
            let impatient = user.with { $0.startWorkloadTimeout = .milliseconds(500) }
            let reused = await #expect(throws: NexError.self) { _ = try await impatient.startWorkload(Self.request(), bid: bid) }
            #expect(reused?.status == 500 && reused?.body == "failed to request start workload" && reused?.error == "failed to request start workload: timed out", "\(String(describing: reused))")
            #expect(nexlet.workloads.count == 1)
        }
    }

    @Test func agentStartFailureReachesTheClientAndLeavesNoState() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let server = try await NATSServer.start()
            let stateConnection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
            let state = try await KVWorkloadState.open(connection: stateConnection, nodeID: "NSTATE")
            let harness = try await NodeHarness.start(server: server) { options, _ in
                options.embed(nexlet)
                options.state = state
            }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            nexlet.failNextStart("disk full")
            await #expect {
                _ = try await user.deploy(Self.request(), tags: nil)
            } throws: { error in
                (error as? NexError)?.status == 100 && (error as? NexError)?.body == "disk full"
            }
            #expect(try await state.all().isEmpty)
            let deployed = try await user.deploy(Self.request(), tags: nil)
            #expect(try await state.all().map(\.workloadID) == [deployed.response.id])
            _ = try await user.stopWorkload(id: deployed.response.id)
            #expect(try await state.all().isEmpty)
        }
    }

    @Test func auctionsAcrossThreeNodesWithTags() async throws {
        try await withTeardown { teardown in
            let nexlets = (0..<3).map { _ in InMemoryNexlet() }
            let harness = try await NodeHarness.start(nodes: 3) { options, index in
                options.embed(nexlets[index])
                options.tags = ["zone": index == 2 ? "west" : "east"]
            }
            teardown.add { await harness.stop() }
            let user = try NexClient(connection: harness.client, namespace: "user")
            try await eventually("every node bids") {
                let result = try await user.auction(agentType: "inmem")
                return result.bids.count == 3 && result.stopReason == .allNodesAnswered
            }
            let west = try await user.auction(agentType: "inmem", tags: ["zone": "west"])
            #expect(west.bids.count == 1)
            #expect(west.declines.count == 2)
            let deployed = try await user.deploy(Self.request(), tags: ["zone": "west"])
            #expect(nexlets[2].workload(id: deployed.response.id) != nil)
            #expect(try await user.auction(agentType: "other").bids.isEmpty)
        }
    }

    @Test func functionsAreTriggeredOnTheirSubject() async throws {
        try await withTeardown { teardown in
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start { options, _ in options.embed(nexlet) }
            teardown.add { await harness.stop() }
            let system = try NexClient(connection: harness.client, namespace: "system")
            let deployed = try await system.deploy(Self.request("inmemfunc", namespace: "system", lifecycle: .function), tags: nil)
            let reply = try await harness.client.request(deployed.response.id, payload: Data("ping".utf8), timeout: .seconds(5))
            #expect(reply.string == InMemoryNexlet.functionReply)
            #expect(reply.headers["workload_id"] == deployed.response.id)
        }
    }
}

extension NatsMessage {
    /// Throws the error this reply carries.
    func nexErrorOrThrow() throws -> NatsMessage {
        if let error = NexError(reply: self) { throw error }
        return self
    }
}
