import Foundation
import NATSKit
import NATSTestSupport
import NexNode
import NexProtocol
import Testing

@Suite struct NodeBasicsTests {
    @Test func startsRunningAndAnswersPing() async throws {
        let harness = try await NodeHarness.start()
        #expect(harness.node.state == .running)
        #expect(harness.node.id.hasPrefix("N"))
        #expect(harness.node.xkey.hasPrefix("X"))
        let replies = try await harness.gather(NexSubject.ping(namespace: "system"), NodePingRequest(filter: nil), count: 1)
        let ping = try #require(try replies.first?.decode(NodePingResponse.self))
        #expect(ping.nodeID == harness.node.id)
        #expect(ping.state == .running)
        #expect(ping.agentCount == 0)
        #expect(ping.tags?["nex.os"] == "linux")
        #expect(["amd64", "arm64"].contains(ping.tags?["nex.arch"] ?? ""))
        #expect(ping.tags?["nex.lameduck"] == "false")
        #expect(ping.tags?["nex.node"] == "node-0")
        #expect(!ping.startTime.isZero)
        await harness.stop()
        #expect(harness.node.state == .stopping)
    }

    @Test func pingFilterMatchesTagsOrStaysSilent() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start(nodes: 2) { options, index in
                options.tags = ["zone": index == 0 ? "east" : "west"]
            }
            teardown.add { await harness.stop() }
            let east = try await harness.gather(NexSubject.ping(namespace: "system"), NodePingRequest(filter: ["zone": "east"]))
            #expect(east.count == 1)
            #expect(try east.first?.decode(NodePingResponse.self).nodeID == harness.nodes[0].id)
            let all = try await harness.gather(NexSubject.ping(namespace: "system"), NodePingRequest(filter: nil), count: 2)
            #expect(all.count == 2)
            let none = try await harness.gather(NexSubject.ping(namespace: "system"), NodePingRequest(filter: ["zone": "north"]))
            #expect(none.isEmpty)
            // A direct ping by node id.
            let direct = try await harness.request(NexSubject.pingNode(namespace: "system", nodeID: harness.nodes[1].id), NodePingRequest(filter: nil))
            #expect(try direct.decode(NodePingResponse.self).nodeID == harness.nodes[1].id)
        }
    }

    @Test func systemOnlyEndpointsAreNotThereForUsers() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            await #expect {
                _ = try await harness.request(NexSubject.ping(namespace: "user"), NodePingRequest(filter: nil))
            } throws: { error in
                (error as? NatsError)?.kind == .noResponders
            }
        }
    }

    @Test func emptyPingBodyIsABadRequest() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let reply = try await harness.requestRaw(NexSubject.pingNode(namespace: "system", nodeID: harness.node.id), Data())
            let error = try #require(reply.nexError)
            #expect(error.status == 400)
            #expect(error.body == "failed to unmarshal ping request")
            #expect(!error.id.isEmpty)
        }
    }

    @Test func infoDescribesTheNode() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start { options, _ in
                options.tags = ["team": "blue"]
                options.version = "1.2.3"
            }
            teardown.add { await harness.stop() }
            let reply = try await harness.request(NexSubject.info(namespace: "system", nodeID: harness.node.id), NodeInfoRequest())
            let info = try reply.decode(NodeInfoResponse.self)
            #expect(info.nodeID == harness.node.id)
            #expect(info.version == "1.2.3")
            #expect(info.tags?["team"] == "blue")
            #expect(info.xkey == harness.node.xkey)
            #expect(info.nodeAgentSummaries == nil)
            #expect(info.uptime.nanoseconds > 0)
        }
    }

    @Test func placementTagsIncludeReservedAndUserTags() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start { options, _ in options.tags = ["gpu": "yes"] }
            teardown.add { await harness.stop() }
            let reply = try await harness.requestRaw(NexSubject.placementTags(namespace: "system"), Data())
            let tags = try reply.decode(NodeTags.self)
            #expect(tags["gpu"] == "yes")
            #expect(tags["nex.nexus"] == "nexus")
        }
    }

    @Test func reservedUserTagsAreRefused() async throws {
        let server = try await NATSServer.start()
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        var options = NodeOptions()
        options.tags = ["nex.os": "plan9"]
        options.agentRestartLimit = -1
        #expect {
            _ = try NexNode(connection: connection, options: options)
        } throws: { error in
            let text = "\(error)"
            return text.contains("nex.") && text.contains("restart limit")
        }
    }

    @Test func agentIDLookup() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let subject = NexSubject.agentID(namespace: "system", nodeID: harness.node.id)
            let empty = try await harness.requestRaw(subject, Data())
            #expect(empty.nexError?.body == "agent name is required")
            await #expect(throws: NatsError.self) { _ = try await harness.requestRaw(subject, Data("nobody".utf8), timeout: .milliseconds(300)) }
        }
    }

    @Test func workloadListWithoutAgentsIsEmpty() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let reply = try await harness.request(NexSubject.workloadPing(namespace: "user"), AgentListWorkloadsRequest(namespace: "user"))
            #expect(reply.string == "[]")
        }
    }

    @Test func namespaceMismatchIsForbidden() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let reply = try await harness.request(NexSubject.workloadPing(namespace: "user"), AgentListWorkloadsRequest(namespace: "other"))
            let error = try #require(reply.nexError)
            #expect(error.status == 403)
            #expect(error.body == "namespace mismatch: user != other")
            #expect(error.error == "namespace mismatch")
            // The system namespace may act on any namespace.
            let system = try await harness.request(NexSubject.workloadPing(namespace: "system"), AgentListWorkloadsRequest(namespace: "other"))
            #expect(system.nexError == nil)
        }
    }

    @Test func stopOfUnknownWorkloadIsNotFound() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let reply = try await harness.request(NexSubject.undeploy(namespace: "user", workloadID: "nope"), StopWorkloadRequest(namespace: "user"))
            let stop = try reply.decode(StopWorkloadResponse.self)
            #expect(stop == StopWorkloadResponse.notFound(id: "nope"))
            #expect(reply.string == #"{"id":"nope","message":"workload not found","stopped":false,"workload_type":""}"#)
        }
    }

    @Test func auctionWithoutAgentsDeclinesOnlyWhenInvited() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let request = AuctionRequest(agentType: "native")
            // Go clients: silence.
            let silent = try await harness.gather(NexSubject.auction(namespace: "user"), request)
            #expect(silent.isEmpty)
            // Our clients: an explicit decline with the nexus size.
            var headers = NatsHeaders()
            headers.set(NexHeader.auctionDecline, NexHeader.auctionDeclineInvite)
            let answered = try await harness.gather(NexSubject.auction(namespace: "user"), request, count: 1, headers: headers)
            let decline = try #require(answered.first)
            #expect(decline.payload.isEmpty)
            #expect(decline.headers[NexHeader.auctionDecline]?.contains("no healthy agent of type native") == true)
            #expect(decline.headers[NexHeader.nexusSize] == "1")
        }
    }

    @Test func nodesCountEachOtherThroughHeartbeats() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start(nodes: 3)
            teardown.add { await harness.stop() }
            let headers: NatsHeaders = [NexHeader.auctionDecline: NexHeader.auctionDeclineInvite]
            try await eventually("every node knows the nexus size") {
                let answers = try await harness.gather(NexSubject.auction(namespace: "user"), AuctionRequest(agentType: "x"), count: 3, headers: headers)
                return answers.count == 3 && answers.allSatisfy { $0.headers[NexHeader.nexusSize] == "3" }
            }
            // A stopping node says goodbye; the others stop counting it.
            await harness.nodes[2].shutdown()
            try await eventually("peers forget a stopped node") {
                let answers = try await harness.gather(NexSubject.auction(namespace: "user"), AuctionRequest(agentType: "x"), count: 2, headers: headers)
                return answers.count == 2 && answers.allSatisfy { $0.headers[NexHeader.nexusSize] == "2" }
            }
        }
    }
}
