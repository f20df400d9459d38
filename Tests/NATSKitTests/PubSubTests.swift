import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct PubSubTests {
    @Test func messagesArriveInOrder() async throws {
        let server = try await NATSServer.start()
        let publisher = try await connect(server, name: "pub")
        let subscriber = try await connect(server, name: "sub")
        let subscription = try subscriber.subscribe("order.>")
        try await subscriber.flush()
        for index in 0..<1000 {
            try publisher.publish("order.\(index % 7)", payload: Data("\(index)"))
        }
        let messages = try await collect(subscription, count: 1000)
        #expect(messages.map(\.string) == (0..<1000).map(String.init))
        #expect(messages[3].subject == "order.3")
    }

    @Test func headersRoundTripCaseSensitiveAndMultiValued() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let subscription = try connection.subscribe("headers")
        try await connection.flush()
        var headers = NatsHeaders()
        headers.set("Nats-Service-Error-Code", "400")
        headers.set("agentId", "abc")
        headers.add("X-Multi", "a")
        headers.add("X-Multi", "b")
        try connection.publish("headers", payload: Data("body"), headers: headers, replyTo: "some.reply")
        let message = try #require(try await collect(subscription, count: 1).first)
        #expect(message.headers["Nats-Service-Error-Code"] == "400")
        #expect(message.headers["agentId"] == "abc")
        #expect(message.headers["agentid"] == nil)
        #expect(message.headers.values("X-Multi") == ["a", "b"])
        #expect(message.replyTo == "some.reply")
        #expect(message.string == "body")
        #expect(message.status == nil)
    }

    @Test func queueGroupSharesMessages() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let first = try connection.subscribe("work", queue: "q")
        let second = try connection.subscribe("work", queue: "q")
        try await connection.flush()
        for index in 0..<200 { try connection.publish("work", payload: Data("\(index)")) }
        try await connection.flush()
        // Every message goes to exactly one member.
        let counter = Counter()
        try await withDeadline(.seconds(5)) {
            await withTaskGroup(of: Void.self) { group in
                for subscription in [first, second] {
                    group.addTask {
                        for await _ in subscription {
                            if await counter.increment() == 200 {
                                first.unsubscribe()
                                second.unsubscribe()
                            }
                        }
                    }
                }
            }
        }
        #expect(await counter.value == 200)
    }

    @Test func unsubscribeEndsTheSequence() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let subscription = try connection.subscribe("bye")
        try await connection.flush()
        try connection.publish("bye", payload: Data("1"))
        try await connection.flush()
        subscription.unsubscribe()
        let all = try await withDeadline(.seconds(5)) {
            var got: [String] = []
            for await message in subscription { got.append(message.string) }
            return got
        }
        #expect(all.count <= 1)
    }

    @Test func drainDeliversQueuedMessagesThenEnds() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let subscription = try connection.subscribe("drain.me", buffering: .unbounded)
        try await connection.flush()
        for index in 0..<100 { try connection.publish("drain.me", payload: Data("\(index)")) }
        try await connection.flush()
        await subscription.drain()
        let all = try await withDeadline(.seconds(5)) {
            var got = 0
            for await _ in subscription { got += 1 }
            return got
        }
        #expect(all == 100)
    }

    @Test func boundedBufferDropsAndCounts() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let subscription = try connection.subscribe("flood", buffering: .bufferingOldest(10))
        try await connection.flush()
        for index in 0..<100 { try connection.publish("flood", payload: Data("\(index)")) }
        try await connection.flush()
        try await eventually("drops counted") { subscription.droppedCount == 90 }
        let kept = try await collect(subscription, count: 10)
        #expect(kept.map(\.string) == (0..<10).map(String.init))
    }

    @Test func handlerSubscriptionRunsInline() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let counter = Counter()
        let subscription = try connection.subscribe("inline") { _ in
            Task { await counter.increment() }
        }
        try await connection.flush()
        for _ in 0..<50 { try connection.publish("inline") }
        try await eventually("50 handled") { await counter.value == 50 }
        subscription.unsubscribe()
    }
}

actor Counter {
    private(set) var value = 0
    @discardableResult
    func increment() -> Int {
        value += 1
        return value
    }
}
