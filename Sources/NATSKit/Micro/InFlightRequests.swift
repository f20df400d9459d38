import Synchronization

/// The requests of a ``MicroService``'s `.task` endpoints that are being handled: each runs in a task the
/// service owns from the moment its message is delivered until its handler returns, so the service can wait
/// for them (``waitUntilIdle(timeout:)``) and cancel them (``cancelAll()``).
final class InFlightRequests: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var tasks: [UInt64: Task<Void, Never>] = [:]
        var idleWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// How many handlers are running.
    var count: Int { state.withLock { $0.tasks.count } }

    /// Runs `body` in a new tracked task.
    func spawn(_ body: @escaping @Sendable () async -> Void) {
        // The task is stored under the lock it must take to remove itself, so it is never removed before it
        // was stored.
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.tasks[id] = Task { [self] in
                await body()
                finished(id)
            }
        }
    }

    private func finished(_ id: UInt64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.tasks[id] = nil
            guard state.tasks.isEmpty else { return [] }
            defer { state.idleWaiters = [:] }
            return Array(state.idleWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until no handler runs, at most `timeout` (and no longer than the calling task is not cancelled).
    /// Returns true when none runs any more.
    func waitUntilIdle(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.idle(); return true }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || count == 0
        }
    }

    /// Returns once no handler runs, or when the calling task is cancelled.
    private func idle() async {
        let id = state.withLock { state -> UInt64 in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.tasks.isEmpty || Task.isCancelled { return true }
                    state.idleWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.idleWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Cancels every running handler (they finish on their own; ``waitUntilIdle(timeout:)`` sees them go).
    func cancelAll() {
        for task in state.withLock({ Array($0.tasks.values) }) { task.cancel() }
    }
}
