import Synchronization

/// Which agent runs which workload, as far as this node placed or handed them out. Used to hand every stored
/// workload to exactly one agent when agents (re-)register, and to forget workloads when they stop.
final class WorkloadLedger: Sendable {
    struct Placement: Sendable, Equatable {
        var workloadID: String
        var workloadType: String
        var namespace: String
        var agentID: String
    }

    private let placements = Mutex<[String: Placement]>([:])

    func record(_ placement: Placement) {
        placements.withLock { $0[placement.workloadID] = placement }
    }

    @discardableResult
    func remove(_ workloadID: String) -> Placement? {
        placements.withLock { $0.removeValue(forKey: workloadID) }
    }

    func placement(_ workloadID: String) -> Placement? {
        placements.withLock { $0[workloadID] }
    }

    /// Assigns to `agentID` every candidate that no other live agent holds; returns the assigned ids.
    /// A workload held by `agentID` itself (it re-registered after a restart) is handed to it again.
    func claim(_ candidates: [Placement], for agentID: String, isLive: (String) -> Bool) -> [Placement] {
        placements.withLock { placements in
            var claimed: [Placement] = []
            for var candidate in candidates {
                if let holder = placements[candidate.workloadID]?.agentID, holder != agentID, isLive(holder) { continue }
                candidate.agentID = agentID
                placements[candidate.workloadID] = candidate
                claimed.append(candidate)
            }
            return claimed
        }
    }

    var count: Int { placements.withLock { $0.count } }
}
