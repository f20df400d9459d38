import NexProtocol
import Synchronization

/// Which agent runs which workload, as far as this node placed or handed them out. Used to hand every stored
/// workload to exactly one agent when agents (re-)register, and to forget workloads when they stop.
final class WorkloadPlacements: Sendable {
    struct Placement: Sendable, Equatable {
        var workloadID: String
        var workloadType: String
        var namespace: String
        var agentID: String
        /// issue 14: metrics (the `lifecycle` label of `nex_workloads_running`); nil when not known.
        var lifecycle: WorkloadLifecycle? = nil
    }

    /// The placements by workload id, and how many each agent holds (kept in step, so placement decisions
    /// read an agent's load without a scan).
    private struct Book {
        var placements: [String: Placement] = [:]
        var perAgent: [String: Int] = [:]

        mutating func set(_ placement: Placement) {
            if let old = placements.updateValue(placement, forKey: placement.workloadID) { release(old.agentID) }
            perAgent[placement.agentID, default: 0] += 1
        }

        mutating func remove(_ workloadID: String) -> Placement? {
            guard let old = placements.removeValue(forKey: workloadID) else { return nil }
            release(old.agentID)
            return old
        }

        private mutating func release(_ agentID: String) {
            let left = (perAgent[agentID] ?? 1) - 1
            perAgent[agentID] = left > 0 ? left : nil
        }
    }

    private let book = Mutex(Book())

    func record(_ placement: Placement) {
        book.withLock { $0.set(placement) }
    }

    @discardableResult
    func remove(_ workloadID: String) -> Placement? {
        book.withLock { $0.remove(workloadID) }
    }

    func placement(_ workloadID: String) -> Placement? {
        book.withLock { $0.placements[workloadID] }
    }

    /// Assigns to `agentID` every candidate that no other live agent holds; returns the assigned placements.
    /// A workload held by `agentID` itself (it re-registered after a restart) is handed to it again.
    func claim(_ candidates: [Placement], for agentID: String, isLive: (String) -> Bool) -> [Placement] {
        book.withLock { book in
            var claimed: [Placement] = []
            for var candidate in candidates {
                if let holder = book.placements[candidate.workloadID]?.agentID, holder != agentID, isLive(holder) { continue }
                candidate.agentID = agentID
                book.set(candidate)
                claimed.append(candidate)
            }
            return claimed
        }
    }

    var count: Int { book.withLock { $0.placements.count } }

    /// Every placement (for the metrics' gauges).
    var all: [Placement] { book.withLock { Array($0.placements.values) } }

    // issue 12: agent identity
    /// How many workloads this node placed on (or handed to) `agentID`, including starts in flight: the load
    /// placement decides by, rather than the count an agent reports about itself.
    func count(on agentID: String) -> Int {
        book.withLock { $0.perAgent[agentID] ?? 0 }
    }
}
