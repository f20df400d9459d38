import CoreMetrics
import NexNode
import Prometheus

/// One node's Prometheus metrics: a registry of its own and the swift-metrics factory over it. Give
/// ``factory`` to the node (``NexNode/NodeOptions/metricsFactory``) and the registry to its ``NodeHTTPService``; nothing
/// goes through swift-metrics' global bootstrap, so many nodes in one process (tests) each keep their own.
public struct NodeMetricsRegistry: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    let process: ProcessMetrics

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A node answers an auction from memory in microseconds; deploys take milliseconds to a minute.
        factory.durationHistogramBuckets = [
            NodeMetricName.auctionDuration: [
                .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1),
            ],
            NodeMetricName.deployDuration: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
            ],
            NodeMetricName.kvOperationDuration: [
                .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
                .milliseconds(10), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
            ],
        ]
        self.factory = factory
        process = ProcessMetrics(factory: factory)
    }

    /// The Prometheus text exposition, with the node's gauges and the process figures brought up to date first.
    public func exposition(of node: NexNode) async -> [UInt8] {
        node.refreshMetrics()
        await process.refresh()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return Self.withHelp(buffer)
    }

    /// The help of every metric by name (swift-metrics' API carries none, so the exposition gets it here).
    static let help = NodeMetricName.help.merging(ProcessMetricName.help) { first, _ in first }

    /// `exposition` with a `# HELP <name> <text>` line before each `# TYPE <name> …` line of a known metric.
    static func withHelp(_ exposition: [UInt8]) -> [UInt8] {
        let typePrefix = Array("# TYPE ".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(exposition.count + help.count * 96)
        for line in exposition.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: typePrefix) {
                let name = line.dropFirst(typePrefix.count).prefix { $0 != UInt8(ascii: " ") }
                if let text = help[String(decoding: name, as: UTF8.self)] {
                    out += Array("# HELP ".utf8) + name + Array(" \(text)\n".utf8)
                }
            }
            out += line
            out.append(UInt8(ascii: "\n"))
        }
        // `split` kept the empty piece after the final newline: drop the newline added for it.
        if exposition.last == UInt8(ascii: "\n") { out.removeLast() }
        return out
    }
}
