import Foundation
import NATSKit
import NATSTestSupport
import NexClient

/// Auctions against N `nex node up` processes (each with its embedded native nexlet), next to a plain
/// scatter-gather to N responders; node list/info latency against the single node. Nodes connect to the
/// `urls` round robin (one server, or the servers of a cluster); the client to the first.
enum AuctionBench {
    struct Figures: Encodable {
        var nodes: Int
        var auctions: Int
        var p50_us: Double
        var p99_us: Double
        var complete_ratio: Double
        var p50_over_rtt: Double
        var scatter_gather_p50_us: Double
        var p50_over_scatter_gather: Double
    }

    struct QueryFigures: Encodable {
        var p50_us: Double
        var p99_us: Double
        var p50_over_rtt: Double
    }

    struct Result: Encodable {
        var auction: [Figures]
        /// Measured when the nexus has a single node.
        var node_list: QueryFigures?
        var node_info: QueryFigures?
        var node_startup_p50_ms: Double
    }

    static func run(urls: [String], scratch: URL, nodeCounts: [Int], iterations: Int, rttP50: Double) async throws -> Result {
        var figures: [Figures] = []
        var list: QueryFigures?
        var info: QueryFigures?
        var running: [(NodeProcess, String)] = []
        var startups: [Int64] = []
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [urls[0]], name: "bench-auction-client"))
        defer { Task { await connection.close() } }
        let user = try NexClient(connection: connection, namespace: "user")
        for count in nodeCounts.sorted() {
            // Grow the nexus to `count` nodes (the earlier ones stay).
            while running.count < count {
                let name = "auction-\(running.count)"
                let url = urls[running.count % urls.count]
                let begin = ContinuousClock.now
                running.append(try await NodeProcess.start(url: url, name: name, dataDirectory: scratch.appendingPathComponent(name)))
                startups.append((ContinuousClock.now - begin).nanoseconds)
            }
            try await waitForFullAuctions(user, count: count)
            var samples: [Int64] = []
            var complete = 0
            for _ in 0..<iterations {
                let begin = ContinuousClock.now
                let result = try await user.auction(agentType: "native")
                samples.append((ContinuousClock.now - begin).nanoseconds)
                if result.bids.count == count { complete += 1 }
            }
            let summary = LatencySummary(nanoseconds: samples)
            let baseline = try await ScatterGather.measure(urls: urls, responders: count, iterations: iterations)
            figures.append(Figures(
                nodes: count, auctions: iterations, p50_us: summary.p50_us, p99_us: summary.p99_us,
                complete_ratio: Double(complete) / Double(iterations), p50_over_rtt: summary.p50_us / rttP50,
                scatter_gather_p50_us: baseline.p50_us, p50_over_scatter_gather: summary.p50_us / baseline.p50_us))
            if count == 1, let nodeID = running.first?.1 {
                let system = try NexClient(connection: connection, namespace: "system")
                list = try await measure(iterations, rttP50) { _ = try await system.listNodes(filter: nil) }
                info = try await measure(iterations, rttP50) { _ = try await system.nodeInfo(nodeID: nodeID) }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for (node, _) in running { group.addTask { await node.stop(timeout: .seconds(20)) } }
        }
        return Result(auction: figures, node_list: list, node_info: info,
                      node_startup_p50_ms: LatencySummary(nanoseconds: startups).p50_us / 1000)
    }

    /// Waits (at most 30 s) until an auction collects every node's bid: new nodes must first learn the
    /// nexus size and register their nexlet.
    static func waitForFullAuctions(_ user: NexClient, count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var streak = 0
        while ContinuousClock.now < deadline {
            let result = try await user.auction(agentType: "native")
            streak = result.bids.count == count ? streak + 1 : 0
            if streak >= 5 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("auctions never collected all \(count) bids within 30 s")
    }

    static func measure(_ iterations: Int, _ rttP50: Double, _ body: () async throws -> Void) async throws -> QueryFigures {
        for _ in 0..<min(20, iterations) { try await body() }
        var samples: [Int64] = []
        for _ in 0..<iterations {
            let begin = ContinuousClock.now
            try await body()
            samples.append((ContinuousClock.now - begin).nanoseconds)
        }
        let summary = LatencySummary(nanoseconds: samples)
        return QueryFigures(p50_us: summary.p50_us, p99_us: summary.p99_us, p50_over_rtt: summary.p50_us / rttP50)
    }
}
