import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct ScatterGatherTests {
    /// Starts `count` responders on separate connections, each answering with its index.
    func responders(_ server: NATSServer, count: Int, subject: String = "sg") async throws -> [(NatsConnection, NatsSubscription)] {
        var result: [(NatsConnection, NatsSubscription)] = []
        for index in 0..<count {
            let connection = try await connect(server, name: "responder-\(index)")
            let subscription = try connection.subscribe(subject) { message in
                try? connection.respond(to: message, payload: Data("\(index)".utf8))
            }
            try await connection.flush()
            result.append((connection, subscription))
        }
        return result
    }

    @Test func zeroRespondersIsNoResponders() async throws {
        let server = try await NATSServer.start()
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(firstReplyTimeout: .seconds(5)))
        #expect(result.replies.isEmpty)
        #expect(result.noResponders)
    }

    @Test func silentSubscribersEndAtTheFirstReplyTimeout() async throws {
        let server = try await NATSServer.start()
        let client = try await connect(server)
        let silent = try client.subscribe("sg") { _ in }
        try await client.flush()
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(firstReplyTimeout: .milliseconds(100)))
        #expect(result.replies.isEmpty)
        #expect(result.stopReason == .noReplies)
        silent.unsubscribe()
    }

    @Test func oneResponderWithStall() async throws {
        let server = try await NATSServer.start()
        let group = try await responders(server, count: 1)
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(stall: .fixed(.milliseconds(50))))
        #expect(result.replies.map(\.string) == ["0"])
        #expect(result.stopReason == .stalled)
        _ = group
    }

    @Test func threeRespondersAllCollected() async throws {
        let server = try await NATSServer.start()
        let group = try await responders(server, count: 3)
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(stall: .fixed(.milliseconds(200))))
        #expect(Set(result.replies.map(\.string)) == ["0", "1", "2"])
        #expect(result.arrivals.count == 3)
        _ = group
    }

    @Test func maxMessagesStopsEarly() async throws {
        let server = try await NATSServer.start()
        let group = try await responders(server, count: 3)
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(stall: .none, maxMessages: 2, totalTimeout: .seconds(30)))
        #expect(result.replies.count == 2)
        #expect(result.stopReason == .maxMessages)
        _ = group
    }

    @Test func predicateStopsEarly() async throws {
        let server = try await NATSServer.start()
        let group = try await responders(server, count: 3)
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(stall: .none, totalTimeout: .seconds(30), stopWhen: { _, count in count == 1 }))
        #expect(result.replies.count == 1)
        #expect(result.stopReason == .predicate)
        _ = group
    }

    @Test func totalTimeoutCapsAStreamOfReplies() async throws {
        let server = try await NATSServer.start()
        let group = try await responders(server, count: 3)
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(stall: .none, totalTimeout: .milliseconds(300)))
        #expect(result.replies.count == 3)
        #expect(result.stopReason == .totalTimeout)
        _ = group
    }

    @Test func adaptiveStallEndsSoonAfterABurst() async throws {
        let server = try await NATSServer.start()
        let group = try await responders(server, count: 3)
        let client = try await connect(server)
        let result = try await client.requestMany("sg", options: ScatterGatherOptions(
            stall: .adaptive(minimum: .milliseconds(20), maximum: .seconds(2), factor: 3), totalTimeout: .seconds(30)))
        #expect(result.replies.count == 3)
        #expect(result.stopReason == .stalled)
        _ = group
    }

    @Test func cancellationReturnsWhatWasGathered() async throws {
        let server = try await NATSServer.start()
        let client = try await connect(server)
        let silent = try client.subscribe("sg") { _ in }
        try await client.flush()
        let task = Task { try await client.requestMany("sg", options: ScatterGatherOptions(firstReplyTimeout: .seconds(60), totalTimeout: .seconds(60))) }
        task.cancel()
        let result = try await withDeadline(.seconds(5)) { try await task.value }
        #expect(result.stopReason == .cancelled || result.stopReason == .noReplies)
        silent.unsubscribe()
    }
}
