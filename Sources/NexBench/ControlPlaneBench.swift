import Foundation
import Logging
import Minter
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexClient
import NexNode
import NexProtocol


/// Auction, deploy, list and info latency against in-process nodes, each with an in-memory nexlet (so the
/// figures are the control plane's own cost, without process spawning).
enum ControlPlaneBench {
    struct AuctionFigures: Encodable {
        var nodes: Int
        var auctions: Int
        var p50_us: Double
        var p99_us: Double
        var complete_ratio: Double
        var p50_over_rtt: Double
    }

    struct DeployFigures: Encodable {
        var deploys: Int
        var p50_us: Double
        var p99_us: Double
        var per_second: Double
    }

    struct QueryFigures: Encodable {
        var p50_us: Double
        var p99_us: Double
        var p50_over_rtt: Double
    }

    struct Result: Encodable {
        var auction: [AuctionFigures]
        var deploy: DeployFigures
        var node_list: QueryFigures
        var node_info: QueryFigures
    }

    static func run(server: NATSServer, nodeCounts: [Int], iterations: Int, rttP50: Double) async throws -> Result {
        var auctions: [AuctionFigures] = []
        var deploy: DeployFigures?
        var list: QueryFigures?
        var info: QueryFigures?
        for count in nodeCounts {
            let nodes = try await startNodes(server: server, count: count)
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "bench-client"))
            let user = try NexClient(connection: connection, namespace: "user")
            // Wait until every node knows the nexus size (greeting heartbeats).
            for _ in 0..<200 {
                let result = try await user.auction(agentType: "inmem")
                if result.bids.count == count && result.stopReason == .allNodesAnswered { break }
                try await Task.sleep(for: .milliseconds(10))
            }
            var samples: [Int64] = []
            var complete = 0
            for _ in 0..<iterations {
                let started = ContinuousClock.now
                let result = try await user.auction(agentType: "inmem")
                samples.append((ContinuousClock.now - started).nanoseconds)
                if result.bids.count == count { complete += 1 }
            }
            let summary = LatencySummary(nanoseconds: samples)
            auctions.append(AuctionFigures(nodes: count, auctions: iterations, p50_us: summary.p50_us, p99_us: summary.p99_us,
                                           complete_ratio: Double(complete) / Double(iterations), p50_over_rtt: summary.p50_us / rttP50))
            if count == 1 {
                deploy = try await measureDeploys(user, count: iterations)
                let system = try NexClient(connection: connection, namespace: "system")
                list = try await measure(iterations, rttP50) { _ = try await system.listNodes(filter: nil) }
                let nodeID = nodes[0].id
                info = try await measure(iterations, rttP50) { _ = try await system.nodeInfo(nodeID: nodeID) }
            }
            for node in nodes { await node.shutdown() }
            await connection.close()
        }
        guard let deploy, let list, let info else { throw NATSServerError("node count 1 must be measured") }
        return Result(auction: auctions, deploy: deploy, node_list: list, node_info: info)
    }

    static func startNodes(server: NATSServer, count: Int) async throws -> [NexNode] {
        var nodes: [NexNode] = []
        var quiet = Logger(label: "bench")
        quiet.logLevel = .critical
        for index in 0..<count {
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "bench-node-\(index)"))
            var options = NodeOptions()
            options.name = "bench-\(index)"
            options.minter = FullAccessMinter(servers: [server.url])
            options.logger = quiet
            options.embeddedAgents = [NexletRunner(runtime: InMemoryNexlet(), options: NexletRunnerOptions(logger: quiet))]
            let node = try NexNode(connection: connection, options: options)
            try await node.start()
            nodes.append(node)
        }
        return nodes
    }

    static func measureDeploys(_ client: NexClient, count: Int) async throws -> DeployFigures {
        var samples: [Int64] = []
        let started = ContinuousClock.now
        for index in 0..<count {
            let request = StartWorkloadRequest(name: "bench-\(index)", namespace: "user", workloadType: "inmem", runRequest: "{}")
            let begin = ContinuousClock.now
            _ = try await client.deploy(request, tags: nil)
            samples.append((ContinuousClock.now - begin).nanoseconds)
        }
        let total = ContinuousClock.now - started
        let summary = LatencySummary(nanoseconds: samples)
        return DeployFigures(deploys: count, p50_us: summary.p50_us, p99_us: summary.p99_us,
                             per_second: Double(count) / (Double(total.nanoseconds) / 1e9))
    }

    static func measure(_ iterations: Int, _ rttP50: Double, _ body: () async throws -> Void) async throws -> QueryFigures {
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
