import Foundation
import NexProtocol
import Synchronization

/// Whether a node is ready for work, check by check (what `GET /readyz` reports).
public struct NodeReadiness: Sendable, Equatable {
    /// One condition of readiness.
    public struct Check: Sendable, Equatable {
        /// `lifecycle`, `nats`, `control_plane`, `agents` or `state`.
        public var name: String
        public var ok: Bool
        /// What was found, in words (`connected`, `1 of 2 configured agents registered`, `lameduck`, …).
        public var detail: String

        public init(name: String, ok: Bool, detail: String) {
            self.name = name
            self.ok = ok
            self.detail = detail
        }
    }

    public var checks: [Check]

    public init(checks: [Check]) {
        self.checks = checks
    }

    public var isReady: Bool { checks.allSatisfy(\.ok) }
    /// The names of the checks that failed.
    public var notReady: [String] { checks.filter { !$0.ok }.map(\.name) }
}

// issue 14: health and metrics
extension NexNode {
    /// Ready when: the node is `running` (not starting, in lameduck or stopping), its NATS connection is
    /// connected, its control plane serves, every nexlet it was configured with (embedded and local) is
    /// registered, and its state store answers within `stateTimeout`.
    public func readiness(stateTimeout: Duration = .seconds(2)) async -> NodeReadiness {
        let state = core.state
        let lameduck = core.isLameduck
        var checks: [NodeReadiness.Check] = []
        let lifecycle = lameduck && state != .stopping ? "lameduck" : state.rawValue
        checks.append(.init(name: "lifecycle", ok: state == .running && !lameduck, detail: lifecycle))
        let connected = core.connection.isConnected
        checks.append(.init(name: "nats", ok: connected, detail: connected ? "connected" : "not connected"))
        let serving = isServing
        checks.append(.init(name: "control_plane", ok: serving, detail: serving ? "serving" : "not serving"))

        let configured = core.options.embeddedAgents.count + core.options.localAgents.count
        let registered = core.configuredAgentIDs.filter { core.registry.record($0) != nil }.count
        checks.append(.init(name: "agents", ok: registered >= configured,
                            detail: "\(registered) of \(configured) configured agents registered"))
        checks.append(await stateCheck(timeout: stateTimeout))
        return NodeReadiness(checks: checks)
    }

    /// Sets the gauges of the node's metrics from its books (workloads, agents, connection, state); call it before
    /// rendering the metrics (the HTTP endpoint does, on every scrape).
    public func refreshMetrics() {
        core.metrics.refresh(core)
    }

    private func stateCheck(timeout: Duration) async -> NodeReadiness.Check {
        let store = core.options.state
        // The probe may outlast the deadline (a KV read waits for its own timeout): whichever ends first answers.
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let answer = FirstAnswer(continuation)
            Task {
                do {
                    try await store.probe()
                    answer.give(nil)
                } catch {
                    answer.give("\(error)")
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give("no answer within \(GoDuration(timeout))")
            }
        }
        if let outcome { return .init(name: "state", ok: false, detail: outcome) }
        return .init(name: "state", ok: true, detail: "answers")
    }

    /// Whether the control plane was started and is not being drained.
    var isServing: Bool {
        hasControlPlane && core.state != .stopping
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<String?, Never>?>

    init(_ continuation: CheckedContinuation<String?, Never>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ value: String?) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}
