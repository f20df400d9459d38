import Foundation
import NexProtocol
import Synchronization

/// Which key each agent id belongs to, and the proofs already used (issue 12). An id is bound to the key of
/// its first proven REGISTER (or, for local and remote agents, to the key the node handed out or trusted
/// before); from then on only that key registers it, for as long as the node runs. Thread-safe.
final class AgentIdentities: Sendable {
    private struct State {
        var keys: [String: String] = [:]
        /// Signatures seen, with when they leave the acceptance window (a proof is good once).
        var seen: [String: Date] = [:]
    }

    private let state = Mutex(State())

    /// Binds `agentID` to `key` unless it is bound already; returns the bound key.
    @discardableResult
    func bind(_ agentID: String, to key: String) -> String {
        state.withLock { state in
            if let bound = state.keys[agentID] { return bound }
            state.keys[agentID] = key
            return key
        }
    }

    func key(of agentID: String) -> String? {
        state.withLock { $0.keys[agentID] }
    }

    /// Records a verified proof's signature; false when it was used before (a replay).
    func firstUse(of proof: AgentProof.Verified, now: Date = Date()) -> Bool {
        let window = Double(AgentProof.window.components.seconds)
        return state.withLock { state in
            state.seen = state.seen.filter { $0.value > now }
            guard state.seen[proof.signature] == nil else { return false }
            // Accepted timestamps lie within ±window of now, so after 2 × window the proof is stale anyway.
            state.seen[proof.signature] = now.addingTimeInterval(2 * window)
            return true
        }
    }
}
