import Foundation
import NATSKit
import NATSTestSupport
import NexNode
import NexProtocol
import Testing

// issue 14: log history
/// Every node creates the history streams at start and brings them to its limits; a node without history
/// settings leaves them alone, and a node on a server without JetStream still starts.
@Suite struct FeedHistoryStreamTests {
    @Test func nodesCreateThenUpdateTheStreamsAndNoneLeavesThemAlone() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let first = try await NodeHarness.start(server: server) { options, _ in
                var history = FeedHistoryOptions()
                history.logLinesPerStream = 50
                history.logMaxAge = .seconds(3600)
                options.feedHistory = history
            }
            teardown.add { await first.stop() }
            let js = try JetStream(first.client)
            let logs = try #require(try await js.streamInfo(FeedHistoryStreams.logs))
            #expect(logs.config.subjects == [FeedHistoryStreams.logSubjects])
            #expect(logs.config.maxMessagesPerSubject == 50)
            #expect(logs.config.maxAge == .seconds(3600))
            #expect(logs.config.maxBytes == FeedHistoryOptions.defaultLogMaxBytes)
            let events = try #require(try await js.streamInfo(FeedHistoryStreams.events))
            #expect(events.config.subjects == [FeedHistoryStreams.eventSubjects])
            #expect(events.config.maxBytes == FeedHistoryOptions.defaultEventMaxBytes)

            // A second node with other limits brings the stream to them; one without history changes nothing.
            let second = try await NodeHarness.start(server: server) { options, _ in
                var history = FeedHistoryOptions()
                history.logLinesPerStream = 70
                history.logMaxAge = .seconds(3600)
                options.feedHistory = history
            }
            teardown.add { await second.stop() }
            #expect(try #require(try await js.streamInfo(FeedHistoryStreams.logs)).config.maxMessagesPerSubject == 70)
            let third = try await NodeHarness.start(server: server) { options, _ in options.feedHistory = nil }
            teardown.add { await third.stop() }
            #expect(try #require(try await js.streamInfo(FeedHistoryStreams.logs)).config.maxMessagesPerSubject == 70)
        }
    }

    @Test func aServerWithoutJetStreamStillRunsTheNode() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let harness = try await NodeHarness.start(server: server)
            teardown.add { await harness.stop() }
            #expect(harness.node.state == .running)
        }
    }
}
