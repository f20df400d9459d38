import Synchronization

/// The nodes of the nexus this node has heard from (their heartbeats on
/// `$NEX.SVC.system.control.HEARTBEAT.<nodeId>`). Its count travels with every auction answer, so a client
/// can stop collecting as soon as every live node has answered instead of waiting out a stall.
final class PeerTracker: Sendable {
    private let selfID: String
    private let horizon: Duration
    private let seen = Mutex<[String: ContinuousClock.Instant]>([:])

    /// `horizon`: how long a node counts as alive after its last heartbeat.
    init(selfID: String, horizon: Duration) {
        self.selfID = selfID
        self.horizon = horizon
    }

    /// Records a heartbeat; returns true when the node was not known (or had been forgotten).
    @discardableResult
    func heard(from nodeID: String, at now: ContinuousClock.Instant = .now) -> Bool {
        guard nodeID != selfID, !nodeID.isEmpty else { return false }
        return seen.withLock { seen in
            let known = seen[nodeID].map { now - $0 <= horizon } ?? false
            seen[nodeID] = now
            return !known
        }
    }

    func forget(_ nodeID: String) {
        _ = seen.withLock { $0.removeValue(forKey: nodeID) }
    }

    /// Live nodes including this one.
    func nexusSize(now: ContinuousClock.Instant = .now) -> Int {
        seen.withLock { seen in
            seen = seen.filter { now - $0.value <= horizon }
            return seen.count + 1
        }
    }
}
