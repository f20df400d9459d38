import Synchronization

// issue 12: fair function triggers
/// Limits how many invocations of one function run at once (`max_function_concurrency`). Over the limit an
/// invocation waits for a free slot, first come first served (back-pressure: a burst is served at the pace the
/// function allows instead of being dropped), but only so long (the function timeout) and only so many
/// (``maximumWaiting``): beyond that it is refused at once, so a flood cannot queue work without bound.
final class FunctionGate: Sendable {
    enum Admission: Sendable, Equatable {
        case admitted
        /// ``maximumWaiting`` invocations are waiting already.
        case queueFull
        /// No slot came free within the timeout (or the waiting task was cancelled).
        case timedOut
    }

    let limit: Int
    let maximumWaiting: Int

    private struct State {
        var running = 0
        var waiting: [(ticket: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        /// Tickets given up before their continuation was queued.
        var abandoned: Set<Int> = []
        var nextTicket = 0
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - limit: invocations running at once (at least 1).
    ///   - maximumWaiting: invocations waiting at once; by default 64 per running slot.
    init(limit: Int, maximumWaiting: Int? = nil) {
        self.limit = max(1, limit)
        self.maximumWaiting = max(0, maximumWaiting ?? 64 * max(1, limit))
    }

    /// Waits for a slot, at most `timeout`. After `.admitted`, call ``leave()`` exactly once.
    func enter(timeout: Duration) async -> Admission {
        enum First { case admitted, full, wait(Int) }
        let first = state.withLock { state -> First in
            if state.running < limit, state.waiting.isEmpty {
                state.running += 1
                return .admitted
            }
            guard state.waiting.count < maximumWaiting else { return .full }
            state.nextTicket += 1
            return .wait(state.nextTicket)
        }
        let ticket: Int
        switch first {
        case .admitted: return .admitted
        case .full: return .queueFull
        case .wait(let number): ticket = number
        }
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }  // cancelled: admitted in time
            self?.abandon(ticket)
        }
        defer { timer.cancel() }
        let admitted = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let giveUp = state.withLock { state -> Bool in
                    if state.abandoned.remove(ticket) != nil { return true }
                    state.waiting.append((ticket, continuation))
                    return false
                }
                if giveUp { continuation.resume(returning: false) }
            }
        } onCancel: {
            abandon(ticket)
        }
        return admitted ? .admitted : .timedOut
    }

    /// Frees a slot, handing it straight to the longest-waiting invocation.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst().continuation  // the slot passes on: `running` stays
        }
        next?.resume(returning: true)
    }

    /// Invocations running and waiting now.
    var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.waiting.count) }
    }

    /// A waiter gives up (timeout or cancellation): it leaves the queue, unless it already got its slot.
    private func abandon(_ ticket: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let index = state.waiting.firstIndex(where: { $0.ticket == ticket }) {
                return state.waiting.remove(at: index).continuation
            }
            state.abandoned.insert(ticket)
            return nil
        }
        continuation?.resume(returning: false)
    }
}
