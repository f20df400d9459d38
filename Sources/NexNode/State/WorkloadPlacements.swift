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
        // issue 14: capacity and quotas
        /// What the workload's `limits` ask (counted against the node's capacity and its namespace's quota).
        var demand = WorkloadDemand()
        /// issue 14: metrics (the `lifecycle` label of `nex_workloads_running`); nil when not known.
        var lifecycle: WorkloadLifecycle? = nil
    }

    /// The placements by workload id, and how many each agent holds (kept in step, so placement decisions
    /// read an agent's load without a scan).
    private struct Book {
        var placements: [String: Placement] = [:]
        var perAgent: [String: Int] = [:]
        /// The sum of the placements' `limits.memory`.
        var memory: Int64 = 0

        mutating func set(_ placement: Placement) {
            if let old = placements.updateValue(placement, forKey: placement.workloadID) { release(old) }
            perAgent[placement.agentID, default: 0] += 1
            memory += placement.demand.memory ?? 0
        }

        mutating func remove(_ workloadID: String) -> Placement? {
            guard let old = placements.removeValue(forKey: workloadID) else { return nil }
            release(old)
            return old
        }

        private mutating func release(_ old: Placement) {
            let left = (perAgent[old.agentID] ?? 1) - 1
            perAgent[old.agentID] = left > 0 ? left : nil
            memory -= old.demand.memory ?? 0
        }
    }

    private let book = Mutex(Book())

    func record(_ placement: Placement) {
        book.withLock { $0.set(placement) }
    }

    // issue 14: node capacity
    /// Records `placement` only if the node has room for it (checked and recorded under one lock, so concurrent
    /// deploys cannot overfill the node); returns why not otherwise.
    func admit(_ placement: Placement, capacity: NodeCapacity, nodeName: String) -> String? {
        book.withLock { book in
            if let problem = capacity.admissionProblem(
                nodeName: nodeName, holding: book.placements.count, memoryInLimits: book.memory, memory: placement.demand.memory) {
                return problem
            }
            book.set(placement)
            return nil
        }
    }

    /// Why the node is full (for the auction's decline), or nil.
    func fullReason(capacity: NodeCapacity, nodeName: String) -> String? {
        book.withLock { capacity.fullReason(nodeName: nodeName, holding: $0.placements.count, memoryInLimits: $0.memory) }
    }

    /// Every placement, by namespace (the quota sweep counts the ones a namespace's usage lacks).
    func byNamespace() -> [String: [Placement]] {
        book.withLock { Dictionary(grouping: $0.placements.values, by: \.namespace) }
    }

    func holds(_ workloadID: String) -> Bool {
        book.withLock { $0.placements[workloadID] != nil }
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
