import CoreMetrics
import Foundation
import NATSKit
import NexProtocol
import Synchronization

/// The node's metrics, made through the `MetricsFactory` of its options (``NodeOptions/metricsFactory``), never
/// through swift-metrics' global bootstrap: many nodes in one process each count on their own. Counters and
/// histograms move where their event happens; the gauges (workloads, agents, connection, state) are set from the
/// node's books by ``refresh(_:)``, which the endpoint calls before every scrape, so nothing is kept twice.
/// (`package`: nex-bench times the calls the handlers make.)
package final class NodeMetrics: Sendable {
    private let factory: any MetricsFactory

    private let auctions: Counter
    private let bids: Counter
    private let declines: [AuctionDeclineReason: Counter]
    private let auctionDuration: MetricTimer
    private let deploys: [DeployOutcome: Counter]
    private let deployDurations: [DeployOutcome: MetricTimer]
    private let stopsStopped: Counter
    private let stopsNotFound: Counter
    private let agentRestarts: [AgentOrigin: Counter]
    private let reconnects: Counter
    private let disconnects: Counter
    private let connected: Gauge
    private let nodeStates: [NodeState: Gauge]
    private let buildInfo: Gauge
    private let kvOperations: [KVOperation: (ok: Counter, error: Counter, duration: MetricTimer)]

    /// Series whose labels come from the workloads (namespace, type): made on first use, dropped when gone.
    private struct Dynamic {
        var workloadRestarts: [[String]: Counter] = [:]
        var admissionRefusals: [[String]: Counter] = [:]
        var workloadsRunning: [[String]: Gauge] = [:]
        var agents: [[String]: Gauge] = [:]
        /// Workloads seen started once (so the next `WORKLOADSTARTED` is a restart); forgotten with the workload.
        var started: Set<String> = []
    }
    private let dynamic = Mutex(Dynamic())

    enum KVOperation: String, CaseIterable {
        case save, remove, list, probe
    }

    package init(factory: any MetricsFactory, version: String) {
        self.factory = factory
        auctions = Counter(label: NodeMetricName.auctions, factory: factory)
        bids = Counter(label: NodeMetricName.auctionBids, factory: factory)
        declines = Dictionary(uniqueKeysWithValues: AuctionDeclineReason.allCases.map {
            ($0, Counter(label: NodeMetricName.auctionDeclines, dimensions: [("reason", $0.rawValue)], factory: factory))
        })
        auctionDuration = MetricTimer(label: NodeMetricName.auctionDuration, factory: factory)
        deploys = Dictionary(uniqueKeysWithValues: DeployOutcome.allCases.map {
            ($0, Counter(label: NodeMetricName.deploys, dimensions: [("result", $0.rawValue)], factory: factory))
        })
        deployDurations = Dictionary(uniqueKeysWithValues: DeployOutcome.allCases.map {
            ($0, MetricTimer(label: NodeMetricName.deployDuration, dimensions: [("result", $0.rawValue)], factory: factory))
        })
        stopsStopped = Counter(label: NodeMetricName.stops, dimensions: [("result", "stopped")], factory: factory)
        stopsNotFound = Counter(label: NodeMetricName.stops, dimensions: [("result", "not_found")], factory: factory)
        agentRestarts = Dictionary(uniqueKeysWithValues: [AgentOrigin.embedded, .local].map {
            ($0, Counter(label: NodeMetricName.agentRestarts, dimensions: [("origin", $0.rawValue)], factory: factory))
        })
        reconnects = Counter(label: NodeMetricName.natsReconnects, factory: factory)
        disconnects = Counter(label: NodeMetricName.natsDisconnects, factory: factory)
        connected = Gauge(label: NodeMetricName.natsConnected, factory: factory)
        nodeStates = Dictionary(uniqueKeysWithValues: NodeState.allCases.map {
            ($0, Gauge(label: NodeMetricName.nodeState, dimensions: [("state", $0.rawValue)], factory: factory))
        })
        buildInfo = Gauge(label: NodeMetricName.buildInfo, dimensions: [("version", version)], factory: factory)
        buildInfo.record(1)
        kvOperations = Dictionary(uniqueKeysWithValues: KVOperation.allCases.map { operation in
            let op = ("operation", operation.rawValue)
            return (operation, (
                ok: Counter(label: NodeMetricName.kvOperations, dimensions: [op, ("result", "ok")], factory: factory),
                error: Counter(label: NodeMetricName.kvOperations, dimensions: [op, ("result", "error")], factory: factory),
                duration: MetricTimer(label: NodeMetricName.kvOperationDuration, dimensions: [op], factory: factory)))
        })
    }

    // MARK: Events

    package func auctionBid(since start: ContinuousClock.Instant) {
        auctions.increment()
        bids.increment()
        auctionDuration.recordDuration(ContinuousClock.now - start)
    }

    package func auctionDeclined(_ reason: AuctionDeclineReason, since start: ContinuousClock.Instant) {
        auctions.increment()
        declines[reason]?.increment()
        auctionDuration.recordDuration(ContinuousClock.now - start)
    }

    package func deployed(_ result: DeployOutcome, since start: ContinuousClock.Instant) {
        deploys[result]?.increment()
        deployDurations[result]?.recordDuration(ContinuousClock.now - start)
    }

    func stop(found: Bool) {
        (found ? stopsStopped : stopsNotFound).increment()
    }

    func agentRestarted(_ origin: AgentOrigin) {
        agentRestarts[origin]?.increment()
    }

    func connectionEvent(_ event: NatsConnectionEvent) {
        switch event {
        case .reconnected: reconnects.increment()
        case .disconnected: disconnects.increment()
        case .closed, .error: break
        }
    }

    /// A `WORKLOADSTARTED` for a workload placed here: the first one is its start, every later one a restart.
    func workloadStarted(_ placement: WorkloadPlacements.Placement) {
        let restart = dynamic.withLock { $0.started.insert(placement.workloadID).inserted == false }
        guard restart else { return }
        counter(NodeMetricName.workloadRestarts, \.workloadRestarts,
                [("namespace", placement.namespace), ("type", placement.workloadType)]).increment()
    }

    /// A deploy refused for its namespace's quota or this node's capacity.
    func admissionRefused(_ refusal: AdmissionRefusal) {
        counter(NodeMetricName.admissionRefusals, \.admissionRefusals,
                [("namespace", refusal.namespace), ("reason", refusal.reason.rawValue)]).increment()
    }

    /// The counter of `label` with these label values, made on first use and kept in `series`.
    private func counter(_ label: String, _ series: WritableKeyPath<Dynamic, [[String]: Counter]>,
                         _ dimensions: [(String, String)]) -> Counter {
        let key = dimensions.map(\.1)
        return dynamic.withLock { dynamic -> Counter in
            if let counter = dynamic[keyPath: series][key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            dynamic[keyPath: series][key] = counter
            return counter
        }
    }

    func forget(_ workloadID: String) {
        _ = dynamic.withLock { $0.started.remove(workloadID) }
    }

    /// Times one state store operation and counts its outcome.
    func measure<T>(_ operation: KVOperation, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        guard let series = kvOperations[operation] else { return try await body() }
        do {
            let value = try await body()
            series.duration.recordDuration(ContinuousClock.now - start)
            series.ok.increment()
            return value
        } catch {
            series.duration.recordDuration(ContinuousClock.now - start)
            series.error.increment()
            throw error
        }
    }

    // MARK: Gauges, set before a scrape

    func refresh(_ core: NodeCore) {
        connected.record(core.connection.isConnected ? 1 : 0)
        let state = core.state
        for (candidate, gauge) in nodeStates { gauge.record(candidate == state ? 1 : 0) }

        var running: [[String]: Int] = [:]
        for placement in core.placements.all {
            running[[placement.namespace, placement.workloadType, placement.lifecycle?.rawValue ?? "unknown"], default: 0] += 1
        }
        var agents: [[String]: Int] = [:]
        let now = ContinuousClock.now
        for record in core.registry.all {
            agents[[record.registerType, core.registry.health(of: record, now: now).rawValue], default: 0] += 1
        }
        dynamic.withLock { dynamic in
            Self.set(&dynamic.workloadsRunning, to: running, factory: factory) { labels in
                Gauge(label: NodeMetricName.workloadsRunning,
                      dimensions: [("namespace", labels[0]), ("type", labels[1]), ("lifecycle", labels[2])], factory: factory)
            }
            Self.set(&dynamic.agents, to: agents, factory: factory) { labels in
                Gauge(label: NodeMetricName.agents, dimensions: [("type", labels[0]), ("state", labels[1])], factory: factory)
            }
        }
    }

    /// Records `counts` into `gauges`, making the series that are new and dropping those whose count went away
    /// (so a namespace that runs nothing any more leaves no series behind).
    private static func set(_ gauges: inout [[String]: Gauge], to counts: [[String]: Int], factory: any MetricsFactory,
                            make: ([String]) -> Gauge) {
        for (labels, gauge) in gauges where counts[labels] == nil {
            gauge.destroy()
            gauges[labels] = nil
        }
        for (labels, count) in counts {
            let gauge = gauges[labels] ?? make(labels)
            gauges[labels] = gauge
            gauge.record(count)
        }
    }
}

typealias MetricTimer = CoreMetrics.Timer

extension CoreMetrics.Timer {
    func recordDuration(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
