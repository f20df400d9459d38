import CNatsBaseline
import Foundation
import NATSKit
import NATSTestSupport

/// Request/reply round trip: plain nats.c (baseline) against the same loop through NATSKit.
struct RoundTripResult: Encodable {
    var iterations: Int
    var payload_bytes: Int
    var raw_nats_c: LatencySummary
    var natskit: LatencySummary
    /// natskit p50 / raw p50 − 1 (0.10 = the wrapper adds 10 %).
    var overhead_p50: Double
    var overhead_mean: Double
}

enum RoundTrip {
    static func measure(server: NATSServer, iterations: Int, payloadSize: Int = 16) async throws -> RoundTripResult {
        // Warm both paths first so neither pays for first-use costs inside the measurement.
        _ = try raw(url: server.url, iterations: min(1000, iterations), payloadSize: payloadSize)
        _ = try await wrapper(url: server.url, iterations: min(1000, iterations), payloadSize: payloadSize)
        // Interleave rounds so drift on a noisy machine hits both equally.
        var rawSamples: [Int64] = []
        var wrapperSamples: [Int64] = []
        let rounds = 4
        for _ in 0..<rounds {
            rawSamples += try raw(url: server.url, iterations: iterations / rounds, payloadSize: payloadSize)
            wrapperSamples += try await wrapper(url: server.url, iterations: iterations / rounds, payloadSize: payloadSize)
        }
        let rawSummary = LatencySummary(nanoseconds: rawSamples)
        let wrapperSummary = LatencySummary(nanoseconds: wrapperSamples)
        return RoundTripResult(
            iterations: rawSamples.count, payload_bytes: payloadSize,
            raw_nats_c: rawSummary, natskit: wrapperSummary,
            overhead_p50: wrapperSummary.p50_us / rawSummary.p50_us - 1,
            overhead_mean: wrapperSummary.mean_us / rawSummary.mean_us - 1)
    }

    static func raw(url: String, iterations: Int, payloadSize: Int) throws -> [Int64] {
        var samples = [Int64](repeating: 0, count: iterations)
        let status = cnb_request_reply_rtt(url, Int32(iterations), Int32(payloadSize), &samples)
        guard status == 0 else { throw NATSServerError("raw nats.c round trip failed with status \(status)") }
        return samples
    }

    static func wrapper(url: String, iterations: Int, payloadSize: Int) async throws -> [Int64] {
        let responder = try await NatsConnection.connect(NatsConnectOptions(servers: [url], name: "bench-responder"))
        let client = try await NatsConnection.connect(NatsConnectOptions(servers: [url], name: "bench-client"))
        let subscription = try responder.subscribe("bench.rtt") { message in
            try? responder.respond(to: message, payload: message.payload)
        }
        try await responder.flush()
        let payload = Data(repeating: 0x61, count: payloadSize)
        var samples: [Int64] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let start = clock.now
            _ = try await client.request("bench.rtt", payload: payload, timeout: .seconds(5))
            samples.append((clock.now - start).nanoseconds)
        }
        subscription.unsubscribe()
        await client.close()
        await responder.close()
        return samples
    }
}
