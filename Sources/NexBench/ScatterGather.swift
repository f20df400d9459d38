import Foundation
import NATSKit

/// The baseline for auctions: one request published to N responders (each on its own connection), waiting
/// for all N replies on an inbox. Responders connect to `urls` round robin, the requester to the first.
enum ScatterGather {
    struct Figures: Encodable {
        var responders: Int
        var p50_us: Double
        var p99_us: Double
    }

    static func measure(urls: [String], responders count: Int, iterations: Int) async throws -> Figures {
        var responders: [NatsConnection] = []
        var subscriptions: [NatsSubscription] = []
        for index in 0..<count {
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [urls[index % urls.count]], name: "bench-sg-\(index)"))
            subscriptions.append(try connection.subscribe("bench.sg") { message in
                try? connection.respond(to: message, payload: message.payload)
            })
            try await connection.flush()
            responders.append(connection)
        }
        let client = try await NatsConnection.connect(NatsConnectOptions(servers: [urls[0]], name: "bench-sg-client"))
        let inbox = client.newInbox()
        let replies = try client.subscribe(inbox, buffering: .unbounded)
        try await client.flush()
        var iterator = replies.makeAsyncIterator()
        var samples: [Int64] = []
        let payload = Data(repeating: 0x61, count: 16)
        for round in 0..<(iterations + 20) {
            let begin = ContinuousClock.now
            try client.publish("bench.sg", payload: payload, replyTo: inbox)
            for _ in 0..<count {
                guard await iterator.next() != nil else { throw BenchError("scatter-gather inbox closed") }
            }
            if round >= 20 { samples.append((ContinuousClock.now - begin).nanoseconds) }
        }
        replies.unsubscribe()
        await client.close()
        for subscription in subscriptions { subscription.unsubscribe() }
        for connection in responders { await connection.close() }
        let summary = LatencySummary(nanoseconds: samples)
        return Figures(responders: count, p50_us: summary.p50_us, p99_us: summary.p99_us)
    }
}
