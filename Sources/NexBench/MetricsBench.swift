import NexNode
import NexNodeHTTP

/// What counting costs the node per event: the very calls the auction and deploy handlers make
/// (`NodeMetrics`, over the Prometheus factory `node up` uses), and one scrape's rendering. Best of three
/// rounds on this thread (the first warms up); compare with the auction and deploy latencies of the same run.
enum MetricsBench {
    struct Figures: Encodable {
        var events: Int
        var ns_per_auction: Double
        var ns_per_decline: Double
        var ns_per_deploy: Double
        var render_us: Double
        var exposition_bytes: Int
    }

    static func measure(count: Int) -> Figures {
        let registry = NodeMetricsRegistry()
        let metrics = NodeMetrics(factory: registry.factory, version: "bench")
        func best(_ body: () -> Void) -> Double {
            var fastest = Duration.seconds(3600)
            for _ in 0..<3 {
                let began = ContinuousClock.now
                body()
                fastest = min(fastest, ContinuousClock.now - began)
            }
            return Double(max(fastest.nanoseconds, 1)) / Double(count)
        }
        let auction = best { for _ in 0..<count { metrics.auctionBid(since: .now) } }
        let decline = best { for _ in 0..<count { metrics.auctionDeclined(.noAgent, since: .now) } }
        let deploy = best { for _ in 0..<count { metrics.deployed(.ok, since: .now) } }
        var bytes = 0
        let renderRounds = 200
        let began = ContinuousClock.now
        for _ in 0..<renderRounds {
            var buffer: [UInt8] = []
            registry.registry.emit(into: &buffer)
            bytes = buffer.count
        }
        let render = Double((ContinuousClock.now - began).nanoseconds) / Double(renderRounds) / 1000
        return Figures(events: count, ns_per_auction: auction, ns_per_decline: decline, ns_per_deploy: deploy, render_us: render, exposition_bytes: bytes)
    }
}
