import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Synchronization
import Testing

/// Node-level calls: list, info, placement tags, lameduck, agent id (protocol.md §3.12, §5.1, §7.2).
@Suite struct ClientNodeTests {
    @Test(arguments: [1, 3, 5]) func systemClientSeesAndLameducksNodes(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("system")
        let first = nexus.nodes[0]

        let info = try await client.nodeInfo(nodeID: first.nodeID)
        #expect(info.nodeID == first.nodeID)
        #expect(info.tags?["nex.node"] == "testnexus-1")

        let filtered = try await client.listNodes(filter: ["nex.node": "testnexus-1"])
        #expect(filtered.value.map(\.nodeID) == [first.nodeID])
        #expect(filtered.isComplete)

        let all = try await client.listNodes()
        #expect(Set(all.value.map(\.nodeID)) == Set(nexus.nodes.map(\.nodeID)))

        let lameduck = try await client.setLameduck(nodeID: first.nodeID, delay: .zero)
        #expect(lameduck.success)
        try await eventually("node 1 gone from the list", timeout: .seconds(30)) {
            try await !client.listNodes().value.contains { $0.nodeID == first.nodeID }
        }
        // The others still answer. A patient client: on a loaded machine one of several nodes can answer later
        // than the standard adaptive stall, which leaves it out of one listing (CI saw that with 5 nodes).
        let patient = try await nexus.client("system", options: NexClientOptions(
            gather: GatherPolicy(firstReplyTimeout: .seconds(5), stall: .fixed(.seconds(2)), totalTimeout: .seconds(20))))
        let remaining = Set(nexus.nodes.dropFirst().map(\.nodeID))
        try await eventually("the other nodes listed", timeout: .seconds(30)) {
            Set(try await patient.listNodes().value.map(\.nodeID)) == remaining
        }
    }

    @Test func userClientCannotReachSystemEndpoints() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("user")
        let nodeID = nexus.nodes[0].nodeID

        await #expect {
            _ = try await client.nodeInfo(nodeID: nodeID)
        } throws: { error in
            (error as? NexError)?.error == "node not found" && (error as? NexError)?.status == 404
        }
        let nodes = try await client.listNodes(filter: ["foo": "bar"])
        #expect(nodes.value.isEmpty)
        #expect(nodes.isComplete)
        #expect(nodes.stopReason == .noResponders)
        let lameduck = try await client.setLameduck(nodeID: nodeID, delay: .zero)
        #expect(!lameduck.success)
        #expect(lameduck.message == "")
        #expect(try await client.placementTags().value.isEmpty)
    }

    @Test func listNodesWithoutNodes() async throws {
        let nexus = try await TestNexus.start(count: 0)
        let client = try await nexus.client("system")
        let nodes = try await client.listNodes()
        #expect(nodes.value.isEmpty)
        #expect(nodes.isComplete)
    }

    @Test func listNodesFilterMatchingNobodyEndsAtTheFirstReplyTimeout() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let client = try await nexus.client("system", options: .quick())
        let nodes = try await client.listNodes(filter: ["foo": "nope"])
        #expect(nodes.value.isEmpty)
        #expect(nodes.stopReason == .noReplies)
    }

    @Test func listNodesKeepsNodesNextToAFakeErrorResponder() async throws {
        let nexus = try await TestNexus.start(count: 3)
        let fake = try await startFakeErrorResponder(nexus.server, subject: NexSubject.ping(namespace: "system"))
        let client = try await nexus.client("system")
        let nodes = try await client.listNodes()
        #expect(nodes.value.count == 3)
        #expect(nodes.errors.count == 1)
        #expect(nodes.errors.first == NexError(id: "fake-error-node", error: "fake node failure", body: "fake node failure", status: 500))
        #expect(nodes.joinedError != nil)
        _ = fake
    }

    @Test func nodeInfoOfAnUnknownNodeIsNotFound() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("system")
        await #expect {
            _ = try await client.nodeInfo(nodeID: "NUNKNOWN")
        } throws: { error in
            (error as? NexError)?.status == 404
        }
    }

    @Test func nodeInfoOfASilentNodeIsNotFoundAfterTheRequestTimeout() async throws {
        let server = try await NATSServer.start()
        let silent = try await startSilentSubscriber(server, subject: NexSubject.info(namespace: "system", nodeID: "NSILENT"))
        let client = try NexClient(connection: try await connectTo(server), namespace: "system", options: .quick())
        await #expect {
            _ = try await client.nodeInfo(nodeID: "NSILENT")
        } throws: { error in
            (error as? NexError)?.error == "node not found"
        }
        _ = silent
    }

    @Test(arguments: [1, 3, 5]) func placementTagsAreMerged(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("system")
        let tags = try await client.placementTags()
        #expect(tags.value["foo"] == "bar")
        #expect(tags.value["nex.nexus"] == "testnexus")
        #expect(tags.value["nex.node"]?.hasPrefix("testnexus-") == true)
        #expect(tags.isComplete)
    }

    @Test func placementTagsWithoutNodes() async throws {
        let nexus = try await TestNexus.start(count: 0)
        let client = try await nexus.client("system")
        let tags = try await client.placementTags()
        #expect(tags.value.isEmpty)
        #expect(tags.isComplete)
    }

    @Test func placementTagsFirstValueWins() async throws {
        let nexus = try await TestNexus.start(count: 2) { script in
            script.tags = ["zone": script.name, script.name: "only"]
        }
        let client = try await nexus.client("system")
        let tags = try await client.placementTags().value
        #expect(tags["zone"] == "testnexus-1" || tags["zone"] == "testnexus-2")
        #expect(tags["testnexus-1"] == "only")
        #expect(tags["testnexus-2"] == "only")
    }

    @Test func lameduckWithAMatchingTag() async throws {
        try await withTeardown { teardown in
            let nexus = try await TestNexus.start(count: 1)
            teardown.add { nexus.nodes[0].shutdown() }
            let client = try await nexus.client("system")
            let response = try await client.setLameduck(nodeID: nexus.nodes[0].nodeID, delay: .seconds(30), tag: ["foo": "bar"])
            #expect(response.success)
            let nodes = try await client.listNodes().value
            #expect(nodes.first?.state == .lameduck)
            #expect(nodes.first?.tags?["nex.lameduck"] == "true")
        }
    }

    @Test func lameduckWithAnUnmatchedTagTimesOut() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("system", options: .quick())
        await #expect {
            _ = try await client.setLameduck(nodeID: nexus.nodes[0].nodeID, delay: .zero, tag: ["foo": "other"])
        } throws: { error in
            (error as? NexError)?.body == "failed to request lameduck" && (error as? NexError)?.status == 500
        }
    }

    @Test func agentIDByName() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("system", options: .quick())
        let node = nexus.nodes[0]
        #expect(try await client.agentID(nodeID: node.nodeID, name: "inmem") == node.script.agentID)
        #expect(try await client.agentID(nodeID: node.nodeID, name: "other") == nil)
        let noName = await #expect(throws: NexError.self) { _ = try await client.agentID(nodeID: node.nodeID, name: "") }
        #expect(noName?.status == 400 && noName?.body == "agent name is required" && noName?.error == "agent name is required", "\(String(describing: noName))")
        await #expect {
            _ = try await client.agentID(nodeID: "NNOBODY", name: "inmem")
        } throws: { error in
            (error as? NexError)?.status == 404
        }
    }

    @Test func lameduckRequestCarriesAGoDurationAndOmitsAMissingTag() async throws {
        let server = try await NATSServer.start()
        let node = try await connectTo(server, name: "node")
        let bodies = Mutex<[String]>([])
        let subscription = try node.subscribe(NexSubject.lameduck(namespace: "system", nodeID: "NX")) { message in
            bodies.withLock { $0.append(message.string) }
            try? node.respond(to: message, payload: Data(#"{"message":"ok","success":true}"#.utf8))
        }
        try await node.flush()
        let client = try NexClient(connection: try await connectTo(server), namespace: "system")
        #expect(try await client.setLameduck(nodeID: "NX", delay: .milliseconds(1500)).success)
        #expect(try await client.setLameduck(nodeID: "NX", delay: .seconds(60), tag: ["a": "b"]).message == "ok")
        #expect(bodies.withLock { $0 } == [#"{"delay":"1.5s"}"#, #"{"delay":"1m0s","tag":{"a":"b"}}"#])
        subscription.unsubscribe()
    }
}
