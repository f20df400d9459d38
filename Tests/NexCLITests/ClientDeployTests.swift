import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

/// ADEPLOY and the auction-then-deploy convenience (protocol.md §3.5, §3.6, §7.2 `TestNexClient_User`).
@Suite struct ClientDeployTests {
    @Test func userAuctionsStartsAndStops() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("user")
        let auction = try await client.auction(agentType: "inmem", tags: [:])
        #expect(auction.bids.count == 1)
        let bid = try #require(auction.bids.first)
        let started = try await client.startWorkload(inmemRequest(name: "tester", namespace: "user"), bid: bid)
        #expect(started.name == "tester")
        #expect(!started.id.isEmpty)
        let stopped = try await client.stopWorkload(id: started.id)
        #expect(stopped.id == started.id)
        #expect(stopped.stopped)
    }

    @Test func nullTagsTravelAsAnEmptyObject() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("user")
        let bid = try #require(try await client.auction(agentType: "inmem").bids.first)
        _ = try await client.startWorkload(inmemRequest(name: "t", namespace: "user", tags: nil), bid: bid)
        let body = try #require(nexus.nodes[0].deployBodies.last)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect((object["tags"] as? [String: String]) == [:])
        #expect(object["namespace"] as? String == "user")
    }

    @Test func deployPlacesOnANodeWhoseAgentSupportsTheLifecycle() async throws {
        let nexus = try await TestNexus.start(count: 3) { script in
            switch script.name {
            case "testnexus-1": script.lifecycles = [.job]
            case "testnexus-2": script.lifecycles = [.function]
            default: script.lifecycles = nil  // declared nothing: supports everything
            }
        }
        let client = try await nexus.client("user")
        for index in 0..<5 {
            let result = try await client.deploy(inmemRequest(name: "svc\(index)", namespace: "user", lifecycle: .service))
            #expect(result.auction.bids.count == 3)
            #expect(nexus.node(holding: result.response.id)?.script.name == "testnexus-3")
        }
        let job = try await client.deploy(inmemRequest(name: "job", namespace: "user", lifecycle: .job))
        #expect(["testnexus-1", "testnexus-3"].contains(nexus.node(holding: job.response.id)?.script.name))
    }

    @Test func deployRefusesWhenNoBidSupportsTheLifecycle() async throws {
        let nexus = try await TestNexus.start(count: 2) { $0.lifecycles = [.service] }
        let client = try await nexus.client("user")
        await #expect {
            _ = try await client.deploy(inmemRequest(name: "f", namespace: "user", lifecycle: .function))
        } throws: { error in
            let error = error as? NexError
            return error?.status == 400 && error?.body == "agent does not support requested lifecycle"
        }
        #expect(nexus.nodes.allSatisfy { $0.workloads.isEmpty })
    }

    @Test func deployWithoutBidsNamesTheDeclines() async throws {
        let nexus = try await TestNexus.start(count: 2) { $0.bids = false }
        let client = try await nexus.client("user")
        await #expect {
            _ = try await client.deploy(inmemRequest(name: "x", namespace: "user"))
        } throws: { error in
            let error = error as? NexError
            return error?.status == 404 && error?.body == "no nodes available for placement"
                && error?.error.contains("2 nodes declined: no healthy agent of type inmem") == true
        }
    }

    @Test func deployTagsPlaceAndTravelWithTheRequest() async throws {
        let nexus = try await TestNexus.start(count: 2) { script in
            script.tags = ["zone": script.name == "testnexus-2" ? "b" : "a"]
        }
        let client = try await nexus.client("user")
        let result = try await client.deploy(inmemRequest(name: "z", namespace: "user"), tags: ["zone": "b"])
        #expect(result.auction.bids.count == 1)
        let node = try #require(nexus.node(holding: result.response.id))
        #expect(node.script.name == "testnexus-2")
        #expect(node.workloads.first?.request.tags == ["zone": "b"])
    }

    @Test func agentFailureArrivesAsStatus100() async throws {
        let nexus = try await TestNexus.start(count: 1) { $0.agentStartError = "artifact not found" }
        let client = try await nexus.client("user")
        await #expect {
            _ = try await client.deploy(inmemRequest(name: "x", namespace: "user"))
        } throws: { error in
            let error = error as? NexError
            return error?.status == 100 && error?.error == "artifact not found" && error?.body == "artifact not found"
        }
    }

    @Test func nodeErrorRepliesAreThrown() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("user")
        let bid = try #require(try await client.auction(agentType: "inmem").bids.first)
        var request = inmemRequest(name: "x", namespace: "user")
        request.workloadType = "native"
        await #expect {
            _ = try await client.startWorkload(request, bid: bid)
        } throws: { error in
            let error = error as? NexError
            return error?.status == 404 && error?.body == "workload type not found" && error?.id.isEmpty == false
        }
    }

    @Test func anUnknownBidTimesOutWithinTheStartDeadline() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let client = try await nexus.client("user", options: .quick())
        await #expect {
            _ = try await withDeadline(.seconds(5)) {
                try await client.startWorkload(inmemRequest(name: "x", namespace: "user"), bidderID: "expiredbid")
            }
        } throws: { error in
            let error = error as? NexError
            return error?.status == 500 && error?.body == "failed to request start workload"
        }
    }

    @Test func deployWithNobodyListening() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        await #expect {
            _ = try await client.startWorkload(inmemRequest(name: "x", namespace: "user"), bidderID: "bid")
        } throws: { error in
            (error as? NexError)?.body == "failed to request start workload"
        }
        await #expect {
            _ = try await client.deploy(inmemRequest(name: "x", namespace: "user"))
        } throws: { error in
            (error as? NexError)?.status == 404
        }
    }

    @Test func deployUsesTheRequestsNamespaceNotTheClients() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let client = try await nexus.client("system")
        let result = try await client.deploy(inmemRequest(name: "x", namespace: "team"))
        #expect(nexus.nodes[0].workloads.first?.request.namespace == "team")
        #expect(result.response.name == "x")
    }
}
