import DequeModule
import Synchronization

// issue 14: quotas per namespace
/// Lets one task at a time of this process change a namespace's quota document. Compare-and-set still guards
/// against other nodes, but the deploys of one node no longer conflict with each other: without turns, eight
/// concurrent deploys into one namespace spent most of their time in conflict retries (nex-bench: deploys per
/// second halved); with them each deploy costs one read and one write.
final class NamespaceTurns: Sendable {
    private let queues = Mutex<[String: Deque<CheckedContinuation<Void, Never>>]>([:])

    /// Runs `body` when it is this caller's turn for `namespace` (first come, first served).
    func run<T>(_ namespace: String, _ body: () async throws -> T) async throws -> T {
        await wait(namespace)
        defer { pass(namespace) }
        return try await body()
    }

    private func wait(_ namespace: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = queues.withLock { queues -> Bool in
                if queues[namespace] == nil {
                    // Nobody holds the turn: take it (an empty queue marks it held).
                    queues[namespace] = []
                    return true
                }
                queues[namespace]?.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func pass(_ namespace: String) {
        let next = queues.withLock { queues -> CheckedContinuation<Void, Never>? in
            guard let next = queues[namespace]?.popFirst() else {
                queues[namespace] = nil
                return nil
            }
            return next
        }
        next?.resume()
    }
}
