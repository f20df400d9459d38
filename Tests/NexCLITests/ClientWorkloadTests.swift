import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

/// Listing, stopping and cloning workloads (protocol.md §3.7, §3.8, §3.10, §7.2).
@Suite struct ClientWorkloadTests {
    /// Auctions once and deploys `name` with the bid at `index` (mod the bid count), like the Go tests'
    /// `ar[i % N]`.
    func deploy(_ client: NexClient, name: String, namespace: String, bidIndex: Int = 0) async throws -> StartWorkloadResponse {
        let bids = try await client.auction(namespace: namespace, agentType: "inmem").bids
        try #require(!bids.isEmpty)
        return try await client.startWorkload(inmemRequest(name: name, namespace: namespace), bid: bids[bidIndex % bids.count])
    }

    @Test(arguments: [1, 3, 5]) func listTotalsAcrossNodes(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("user")
        for index in 0..<3 {
            _ = try await deploy(client, name: "w\(index)", namespace: "user", bidIndex: index)
        }
        let listing = try await client.listWorkloads(filter: [])
        #expect(listing.value.all.count == 3)
        // Bid order differs per auction, so two deploys may land on the same node.
        #expect((1...min(count, 3)).contains(listing.value.perNode.count))
        #expect(listing.value.perNode.allSatisfy { !$0.isEmpty })
        #expect(listing.isComplete)
        #expect(Set(listing.value.all.map(\.name)) == ["w0", "w1", "w2"])
    }

    @Test func listFiltersByIDOrName() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let client = try await nexus.client("user")
        let first = try await deploy(client, name: "alpha", namespace: "user")
        _ = try await deploy(client, name: "beta", namespace: "user", bidIndex: 1)
        #expect(try await client.listWorkloads(filter: [first.id]).value.all.map(\.name) == ["alpha"])
        #expect(try await client.listWorkloads(filter: ["beta"]).value.all.map(\.name) == ["beta"])
        #expect(try await client.listWorkloads(filter: ["gamma"]).value.perNode.isEmpty)
    }

    @Test func listWithoutNodes() async throws {
        let nexus = try await TestNexus.start(count: 0)
        let client = try await nexus.client("system")
        let listing = try await client.listWorkloads()
        #expect(listing.value.perNode.isEmpty)
        #expect(listing.isComplete)
    }

    @Test func listKeepsWorkloadsNextToAFakeErrorResponder() async throws {
        let nexus = try await TestNexus.start(count: 3)
        let client = try await nexus.client("user")
        _ = try await deploy(client, name: "one", namespace: "user")
        let fake = try await startFakeErrorResponder(nexus.server, subject: NexSubject.workloadPing(namespace: "user"))
        let listing = try await client.listWorkloads()
        #expect(listing.value.all.map(\.name) == ["one"])
        #expect(listing.errors.map(\.id) == ["fake-error-node"])
        _ = fake
    }

    @Test func aUserListSeesOnlyItsNamespaceAndSystemSeesAll() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let user = try await nexus.client("user")
        let other = try await nexus.client("other")
        let system = try await nexus.client("system")
        _ = try await deploy(user, name: "u", namespace: "user")
        _ = try await deploy(other, name: "o", namespace: "other")
        #expect(try await user.listWorkloads().value.all.map(\.name) == ["u"])
        #expect(try await other.listWorkloads().value.all.map(\.name) == ["o"])
        let all = try await system.listWorkloads().value.all
        #expect(Set(all.map(\.name)) == ["u", "o"])
        #expect(Set(all.compactMap(\.namespace)) == ["user", "other"])
    }

    // MARK: Stop

    @Test(arguments: [1, 3, 5]) func stoppingAnUnknownWorkloadIsNotAnErrorForUsers(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("user")
        let response = try await client.stopWorkload(id: "abc123")
        #expect(response == StopWorkloadResponse(id: "abc123", message: "workload not found", stopped: false, workloadType: ""))
    }

    @Test(arguments: [1, 3, 5]) func stopReturnsTheStoppingNodesAnswer(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("user")
        let started = try await deploy(client, name: "tester", namespace: "user", bidIndex: count - 1)
        try await eventually("workload listed") { try await client.listWorkloads().value.all.count == 1 }
        let response = try await client.stopWorkload(id: started.id)
        #expect(response == StopWorkloadResponse(id: started.id, message: "", stopped: true, workloadType: "inmem"))
        #expect(try await client.listWorkloads().value.all.isEmpty)
    }

    @Test func aUserCannotStopAnotherNamespacesWorkload() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let owner = try await nexus.client("user")
        let stranger = try await nexus.client("other")
        let started = try await deploy(owner, name: "mine", namespace: "user")
        let response = try await stranger.stopWorkload(id: started.id)
        #expect(!response.stopped)
        #expect(response.message == "workload not found")
        #expect(try await owner.listWorkloads().value.all.count == 1)
    }

    @Test func systemStopFindsTheOwningNamespace() async throws {
        let nexus = try await TestNexus.start(count: 3)
        let user = try await nexus.client("user")
        let system = try await nexus.client("system")
        let started = try await deploy(user, name: "tester", namespace: "user", bidIndex: 2)
        let response = try await system.stopWorkload(id: started.id)
        #expect(response.stopped)
        #expect(response.id == started.id)
        try await eventually("user list empty") { try await user.listWorkloads().value.all.isEmpty }
    }

    @Test func systemStopOfAnUnknownWorkloadIsNotFound() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let system = try await nexus.client("system")
        await #expect {
            _ = try await system.stopWorkload(id: "does-not-exist")
        } throws: { error in
            let error = error as? NexError
            return error?.status == 404 && error?.error == "workload not found"
        }
    }

    @Test func systemStopOfAnAmbiguousIDFails() async throws {
        let nexus = try await TestNexus.start(count: 2)
        nexus.nodes[0].insertWorkload(id: "twin", inmemRequest(name: "a", namespace: "user"))
        nexus.nodes[1].insertWorkload(id: "twin", inmemRequest(name: "b", namespace: "other"))
        let system = try await nexus.client("system")
        await #expect {
            _ = try await system.stopWorkload(id: "twin")
        } throws: { error in
            let error = error as? NexError
            return error?.status == 500 && error?.error.contains("ambiguous") == true
                && error?.error.contains("other, user") == true
        }
    }

    @Test func systemStopWithoutAReportedNamespaceFails() async throws {
        let nexus = try await TestNexus.start(count: 1) { $0.reportsNamespace = false }
        nexus.nodes[0].insertWorkload(id: "anon", inmemRequest(name: "a", namespace: "user"))
        let system = try await nexus.client("system")
        await #expect {
            _ = try await system.stopWorkload(id: "anon")
        } throws: { error in
            let error = error as? NexError
            return error?.status == 500 && error?.body == "owning namespace could not be determined"
        }
    }

    @Test func stopErrorsAreThrownWhenNothingStopped() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let fake = try await startFakeErrorResponder(nexus.server, subject: NexSubject.undeploy(namespace: "user", workloadID: "abc"))
        let client = try await nexus.client("user")
        await #expect {
            _ = try await client.stopWorkload(id: "abc")
        } throws: { error in
            (error as? NexError)?.id == "fake-error-node"
        }
        _ = fake
    }

    // MARK: Clone

    @Test(arguments: [1, 3, 5]) func cloneStartsASecondCopy(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("user")
        let original = try await deploy(client, name: "tester1", namespace: "user")
        let clone = try await client.cloneWorkload(id: original.id)
        #expect(clone.response.id != original.id)
        #expect(clone.response.name == "tester1")
        #expect(clone.original.name == "tester1")
        #expect(clone.original.namespace == "user")
        #expect(clone.originalStop == nil)
        try await eventually("two workloads") { try await client.listWorkloads().value.all.count == 2 }
    }

    @Test func cloneReplacesTheTagsWithTheCallers() async throws {
        let nexus = try await TestNexus.start(count: 2) { script in
            script.tags = ["zone": script.name == "testnexus-2" ? "b" : "a"]
        }
        let client = try await nexus.client("user")
        let original = try await client.deploy(inmemRequest(name: "z", namespace: "user"), tags: ["zone": "a"])
        let clone = try await client.cloneWorkload(id: original.response.id, tags: ["zone": "b"])
        let node = try #require(nexus.node(holding: clone.response.id))
        #expect(node.script.name == "testnexus-2")
        #expect(node.workloads.first { $0.id == clone.response.id }?.request.tags == ["zone": "b"])
        let untagged = try await client.cloneWorkload(id: original.response.id)
        let untaggedNode = try #require(nexus.node(holding: untagged.response.id))
        #expect(untaggedNode.workloads.first { $0.id == untagged.response.id }?.request.tags == [:])
    }

    @Test func systemClonesAcrossNamespaces() async throws {
        let nexus = try await TestNexus.start(count: 3)
        let user = try await nexus.client("user")
        let system = try await nexus.client("system")
        let original = try await deploy(user, name: "orig", namespace: "user")
        #expect(try await user.listWorkloads().value.all.count == 1)
        #expect(try await system.listWorkloads().value.all.count == 1)
        let clone = try await system.cloneWorkload(id: original.id)
        #expect(clone.response.id != original.id)
        try await eventually("user sees both") { try await user.listWorkloads().value.all.count == 2 }
        let all = try await system.listWorkloads().value.all
        #expect(all.count == 2)
        #expect(all.allSatisfy { $0.namespace == "user" })
    }

    @Test func systemClonesAndStopsTheOriginal() async throws {
        let nexus = try await TestNexus.start(count: 3)
        let user = try await nexus.client("user")
        let system = try await nexus.client("system")
        let original = try await deploy(user, name: "orig", namespace: "user")
        let clone = try await system.cloneWorkload(id: original.id, stopOriginal: true)
        let stop = try #require(clone.originalStop)
        #expect(try stop.get().stopped)
        #expect(try stop.get().id == original.id)
        try await eventually("only the clone is left") {
            let left = try await user.listWorkloads().value.all
            return left.map(\.id) == [clone.response.id]
        }
        #expect(try await user.listWorkloads().value.all.first?.namespace == "user")
    }

    @Test func aUserCannotCloneAnotherNamespacesWorkload() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let owner = try await nexus.client("user")
        let stranger = try await nexus.client("other", options: .quick())
        let original = try await deploy(owner, name: "mine", namespace: "user")
        await #expect {
            _ = try await stranger.cloneWorkload(id: original.id)
        } throws: { error in
            let error = error as? NexError
            return error?.status == 404 && error?.error == "workload not found"
        }
    }

    @Test func cloneOfAnUnknownWorkloadIsNotFound() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let client = try await nexus.client("user", options: .quick())
        await #expect {
            _ = try await client.cloneWorkload(id: "nothing")
        } throws: { error in
            (error as? NexError)?.status == 404
        }
    }

    @Test func cloneOfADefinitionWithoutNamespaceFails() async throws {
        let nexus = try await TestNexus.start(count: 1)
        nexus.nodes[0].insertWorkload(id: "anon", inmemRequest(name: "a", namespace: ""))
        let system = try await nexus.client("system")
        await #expect {
            _ = try await system.cloneWorkload(id: "anon")
        } throws: { error in
            let error = error as? NexError
            return error?.status == 500 && error?.error == "cannot clone workload: owning namespace not reported by the agent"
        }
    }

    @Test func cloneErrorRepliesAreThrownWhenNobodyHasTheDefinition() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let fake = try await startFakeErrorResponder(nexus.server, subject: NexSubject.clone(namespace: "user", workloadID: "gone"))
        let client = try await nexus.client("user")
        await #expect {
            _ = try await client.cloneWorkload(id: "gone")
        } throws: { error in
            (error as? NexError)?.id == "fake-error-node"
        }
        _ = fake
    }
}
