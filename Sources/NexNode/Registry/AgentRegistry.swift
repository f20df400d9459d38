import NATSKit
import NexProtocol
import Synchronization

/// The nexlets registered with this node, their heartbeats and health. Thread-safe; heartbeats update it
/// straight from the NATS delivery thread.
final class AgentRegistry: Sendable {
    private struct Entry: Sendable {
        var record: AgentRecord
        var heartbeats: NatsSubscription?
    }

    private let interval: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(heartbeatInterval: Duration) {
        interval = heartbeatInterval
    }

    /// Adds or replaces (same id: the nexlet restarted) a registration. Returns the replaced record.
    @discardableResult
    func register(_ record: AgentRecord, heartbeats: NatsSubscription?) -> AgentRecord? {
        let previous = entries.withLock { entries -> Entry? in
            let old = entries[record.id]
            entries[record.id] = Entry(record: record, heartbeats: heartbeats)
            return old
        }
        previous?.heartbeats?.unsubscribe()
        return previous?.record
    }

    /// Records a heartbeat; returns false for an unknown agent.
    @discardableResult
    func heartbeat(agentID: String, summary: AgentSummary, now: ContinuousClock.Instant = .now) -> Bool {
        entries.withLock { entries in
            guard var entry = entries[agentID] else { return false }
            entry.record.lastHeartbeat = now
            entry.record.lastHeartbeatTime = .now()
            entry.record.summary = summary
            entry.record.reportedHealth = AgentHealth(heartbeatState: summary.state)
            entries[agentID] = entry
            return true
        }
    }

    func remove(_ agentID: String) -> AgentRecord? {
        let entry = entries.withLock { $0.removeValue(forKey: agentID) }
        entry?.heartbeats?.unsubscribe()
        return entry?.record
    }

    /// Removes agents that have been offline for longer than `grace` (never heard from, or silent).
    func prune(offlineFor grace: Duration, now: ContinuousClock.Instant = .now) -> [AgentRecord] {
        let limit = interval * 3 + grace
        let removed = entries.withLock { entries -> [Entry] in
            let stale = entries.values.filter { now - ($0.record.lastHeartbeat ?? $0.record.registeredAt) > limit }
            for entry in stale { entries[entry.record.id] = nil }
            return stale
        }
        removed.forEach { $0.heartbeats?.unsubscribe() }
        return removed.map(\.record)
    }

    var all: [AgentRecord] { entries.withLock { $0.values.map(\.record) }.sorted { $0.id < $1.id } }
    var count: Int { entries.withLock { $0.count } }

    func record(_ agentID: String) -> AgentRecord? { entries.withLock { $0[agentID]?.record } }

    func health(of record: AgentRecord, now: ContinuousClock.Instant = .now) -> AgentHealth {
        record.health(now: now, interval: interval)
    }

    /// A healthy agent of `registerType`, preferring `preferred` when it is one. `load` is the node's own
    /// count of an agent's workloads (the placements), never what the agent reports.
    func healthyAgent(ofType registerType: String, preferring preferred: String? = nil, load: (String) -> Int,
                      now: ContinuousClock.Instant = .now) -> AgentRecord? {
        let candidates = all.filter { $0.registerType == registerType && health(of: $0, now: now) == .healthy }
        if let preferred, let match = candidates.first(where: { $0.id == preferred }) { return match }
        // Least loaded first, so several agents of one type share the work.
        return candidates.min { load($0.id) < load($1.id) }
    }

    /// `<agentId> [<type>], …` for the node heartbeat.
    var heartbeatSummary: [(id: String, registerType: String)] {
        all.map { ($0.id, $0.registerType) }
    }
}
