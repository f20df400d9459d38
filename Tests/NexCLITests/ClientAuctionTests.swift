import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

/// Auction collection rules: all answered, adaptive stall, bounded first reply, total deadline, errors.
@Suite struct ClientAuctionTests {
    @Test(arguments: [1, 3, 5]) func ourNodesEndTheAuctionWhenAllHaveAnswered(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count)
        let client = try await nexus.client("user")
        let result = try await client.auction(agentType: "inmem", tags: [:])
        #expect(result.bids.count == count)
        #expect(result.declines.isEmpty)
        #expect(result.stopReason == .allNodesAnswered)
        #expect(result.nexusSize == count)
        #expect(result.bids.allSatisfy { $0.supportedLifecycles == [.service, .job, .function] && $0.startRequestSchema == "{}" })
        #expect(!result.auctionID.isEmpty)
    }

    @Test func declinesCountAsAnswersButNotAsBids() async throws {
        let nexus = try await TestNexus.start(count: 3) { script in
            if script.name != "testnexus-1" { script.bids = false }
        }
        let client = try await nexus.client("user")
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 1)
        #expect(result.declines.count == 2)
        #expect(result.stopReason == .allNodesAnswered)
        #expect(result.declineReasons.map(\.reason) == ["no healthy agent of type inmem"])
        #expect(result.declineReasons.map(\.count) == [2])
        #expect(result.declineSummary == "2 nodes declined: no healthy agent of type inmem")
        #expect(nexus.nodes.allSatisfy { $0.auctionHeaders.last?[NexHeader.auctionDecline] == "ok" })
    }

    @Test func everyNodeDecliningEndsAtOnceWithoutBids() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let client = try await nexus.client("user")
        let result = try await client.auction(agentType: "native")
        #expect(result.bids.isEmpty)
        #expect(result.declines.count == 2)
        #expect(result.stopReason == .allNodesAnswered)
        #expect(result.declineSummary == "2 nodes declined: no healthy agent of type native")
    }

    @Test func tagMismatchIsDeclinedByOursAndSilentForGo() async throws {
        let ours = try await TestNexus.start(count: 2)
        let oursResult = try await ours.client("user").auction(agentType: "inmem", tags: ["foo": "baz"])
        #expect(oursResult.bids.isEmpty)
        #expect(oursResult.declineSummary == "2 nodes declined: placement tags do not match")

        let go = try await TestNexus.start(count: 2, style: .go)
        let goResult = try await go.client("user", options: .quick()).auction(agentType: "inmem", tags: ["foo": "baz"])
        #expect(goResult.bids.isEmpty)
        #expect(goResult.declines.isEmpty)
        #expect(goResult.stopReason == .noReplies)
    }

    @Test func withoutTheInvitationOurNodesStaySilent() async throws {
        let nexus = try await TestNexus.start(count: 3) { script in
            if script.name != "testnexus-1" { script.bids = false }
        }
        let client = try await nexus.client("user").with { $0.auction.inviteDeclines = false }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 1)
        #expect(result.declines.isEmpty)
        #expect(result.stopReason == .stalled)
        #expect(nexus.nodes.allSatisfy { $0.auctionHeaders.last?[NexHeader.auctionDecline] == nil })
    }

    @Test(arguments: [1, 3]) func goNodesEndWithTheAdaptiveStall(count: Int) async throws {
        let nexus = try await TestNexus.start(count: count, style: .go)
        // A generous minimum stall: this test is about the stop rule, not about speed on a busy machine.
        let client = try await nexus.client("user").with { $0.auction.minimumStall = .milliseconds(300) }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == count)
        #expect(result.stopReason == .stalled)
        #expect(result.nexusSize == nil)
    }

    @Test func mixedNexusEndsWhenOursReportEveryoneAnswered() async throws {
        let server = try await NATSServer.start()
        var nodes: [ScriptedNode] = []
        for (index, style) in [AuctionStyle.ours(nexusSize: 3), .ours(nexusSize: 3), .go].enumerated() {
            var script = NodeScript(name: "testnexus-\(index + 1)")
            script.style = style
            nodes.append(try await ScriptedNode.start(script, on: server))
        }
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
            .with { $0.auction.minimumStall = .seconds(1) }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 3)
        #expect(result.stopReason == .allNodesAnswered)
    }

    @Test func aSlowNodeOurNodesAnnouncedIsWaitedFor() async throws {
        // The second node answers 150 ms late, far beyond the 20 ms adaptive stall; the nexus size says it
        // exists, so the auction waits for it (up to the maximum stall) and still ends as soon as it answers.
        let nexus = try await TestNexus.start(count: 2) { script in
            if script.name == "testnexus-2" { script.auctionDelay = .milliseconds(150) }
        }
        // A generous maximum stall: on a loaded test machine "150 ms late" can become much later, and the
        // point is that the auction waits for the announced node and ends when it answers.
        let client = try await nexus.client("user").with {
            $0.auction.maximumStall = .seconds(10)
            $0.auction.totalTimeout = .seconds(20)
        }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 2)
        #expect(result.stopReason == .allNodesAnswered)
    }

    @Test func withoutTheAllAnsweredRuleOnlyTheStallDecides() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let client = try await nexus.client("user").with {
            $0.auction.stopWhenAllNodesAnswered = false
            $0.auction.minimumStall = .milliseconds(300)
        }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 2)
        #expect(result.stopReason == .stalled)
    }

    @Test func cancellingAnAuctionEndsItAtOnce() async throws {
        let server = try await NATSServer.start()
        let silent = try await startSilentSubscriber(server, subject: "$NEX.SVC.*.control.AUCTION")
        let client = try NexClient(connection: try await connectTo(server), namespace: "user").with {
            $0.auction.firstReplyTimeout = .seconds(60)
            $0.auction.totalTimeout = .seconds(60)
        }
        let task = Task { try await client.auction(agentType: "inmem") }
        task.cancel()
        let result = try await withDeadline(.seconds(5)) { try await task.value }
        #expect(result.stopReason == .cancelled)
        _ = silent
    }

    @Test func aSilentGoNodeKeepsAMixedAuctionOnTheStall() async throws {
        let server = try await NATSServer.start()
        var ours = NodeScript(name: "testnexus-1")
        ours.style = .ours(nexusSize: 2)
        var go = NodeScript(name: "testnexus-2")
        go.bids = false
        let nodes = [try await ScriptedNode.start(ours, on: server), try await ScriptedNode.start(go, on: server)]
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 1)
        #expect(result.nexusSize == 2)
        #expect(result.stopReason == .stalled)
        _ = nodes
    }

    @Test func errorRepliesWithoutTheSizeHeaderDoNotCountAsNodeAnswers() async throws {
        // One of our nodes says the nexus has two nodes; the other "answer" is a foreign error responder.
        let nexus = try await TestNexus.start(count: 1, style: .ours(nexusSize: 2))
        let fake = try await startFakeErrorResponder(nexus.server, subject: NexSubject.auction(namespace: "user"))
        let client = try await nexus.client("user").with { $0.auction.minimumStall = .milliseconds(300) }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 1)
        #expect(result.errors.map(\.id) == ["fake-error-node"])
        #expect(result.stopReason == .stalled)
        _ = fake
    }

    @Test func partialErrorKeepsTheBids() async throws {
        let nexus = try await TestNexus.start(count: 3, style: .go)
        let fake = try await startFakeErrorResponder(nexus.server, subject: NexSubject.auction(namespace: "user"))
        let client = try await nexus.client("user").with { $0.auction.minimumStall = .milliseconds(300) }
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.count == 3)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.status == 500)
        #expect(result.joinedError != nil)
        _ = fake
    }

    @Test func noNodesAtAllIsNoResponders() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let result = try await client.auction(agentType: "inmem")
        #expect(result.bids.isEmpty)
        #expect(result.errors.isEmpty)
        #expect(result.stopReason == .noResponders)
    }

    @Test func silenceEndsAtTheFirstReplyTimeout() async throws {
        let server = try await NATSServer.start()
        let silent = try await startSilentSubscriber(server, subject: "$NEX.SVC.*.control.AUCTION")
        let client = try NexClient(connection: try await connectTo(server), namespace: "user", options: .quick(firstReply: .milliseconds(100)))
        let result = try await withDeadline(.seconds(5)) { try await client.auction(agentType: "inmem") }
        #expect(result.bids.isEmpty)
        #expect(result.stopReason == .noReplies)
        _ = silent
    }

    @Test func theTotalDeadlineCutsAStreamOfAnswers() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let chatty = try await ChattyBidder.start(server, subject: NexSubject.auction(namespace: "user"), count: 2000, gap: .milliseconds(5))
            teardown.add { chatty.stop() }
            // Only the total deadline can end this auction: answers keep coming, well within the stall.
            let client = try NexClient(connection: try await connectTo(server), namespace: "user").with {
                $0.auction.minimumStall = .seconds(3)
                $0.auction.maximumStall = .seconds(3)
                $0.auction.totalTimeout = .seconds(1)
            }
            let result = try await withDeadline(.seconds(10)) { try await client.auction(agentType: "inmem") }
            #expect(result.stopReason == .totalTimeout)
            #expect(!result.bids.isEmpty)
            #expect(result.bids.count < 2000)
        }
    }

    @Test func auctionInAnotherNamespaceUsesThatSubject() async throws {
        let nexus = try await TestNexus.start(count: 1)
        let seen = try nexus.nodes[0].connection.subscribe("$NEX.SVC.other.control.AUCTION")
        try await nexus.nodes[0].connection.flush()
        let client = try await nexus.client("user")
        let result = try await client.auction(namespace: "other", agentType: "inmem")
        #expect(result.bids.count == 1)
        let request = try await withDeadline(.seconds(5)) { () -> NatsMessage? in
            for await message in seen { return message }
            return nil
        }
        let decoded = try GoJSON.decode(AuctionRequest.self, from: request?.payload ?? Data())
        #expect(decoded.agentType == "inmem")
        #expect(decoded.auctionID == result.auctionID)
        #expect(decoded.tags == nil)
    }
}
