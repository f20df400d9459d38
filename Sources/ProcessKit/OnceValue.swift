#if os(Linux)
import OffPool
import Synchronization

/// A value that is set exactly once and can be awaited by any number of tasks, each with an
/// optional deadline. Settling is thread-safe and may happen on any thread (e.g. the event loop).
final class OnceValue<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var nextWaiter: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Value?, Never>] = [:]
        var callbacks: [@Sendable (Value) -> Void] = []
    }

    private let state = Mutex(State())

    init() {}

    /// The value if it has been set, without waiting.
    var current: Value? { state.withLock { $0.value } }

    /// Sets the value and wakes all waiters. Returns `false` (and changes nothing) if the value
    /// had already been set.
    @discardableResult
    func settle(_ value: Value) -> Bool {
        let woken = state.withLock { state -> ([CheckedContinuation<Value?, Never>], [@Sendable (Value) -> Void])? in
            guard state.value == nil else {
                return nil
            }
            state.value = value
            defer {
                state.waiters = [:]
                state.callbacks = []
            }
            return (Array(state.waiters.values), state.callbacks)
        }
        guard let (waiters, callbacks) = woken else {
            return false
        }
        for waiter in waiters {
            waiter.resume(returning: value)
        }
        for callback in callbacks {
            callback(value)
        }
        return true
    }

    /// Runs `action` with the value once it is set (at once, on this thread, if it already is; otherwise on
    /// the thread that settles it). Unlike awaiting, no task stays suspended meanwhile.
    func whenSettled(_ action: @escaping @Sendable (Value) -> Void) {
        let ready = state.withLock { state -> Value? in
            if let value = state.value { return value }
            state.callbacks.append(action)
            return nil
        }
        if let ready { action(ready) }
    }

    /// Waits until the value is set. Not cancellable: use ``value(timeout:)`` where the wait may
    /// need to end early.
    var value: Value {
        get async {
            while true {
                if let value = await wait(timeout: nil, cancellable: false) {
                    return value
                }
            }
        }
    }

    /// Waits until the value is set, at most `timeout` (forever when `nil`). Returns `nil` on
    /// timeout, or when the calling task is cancelled if `cancellable`.
    func value(timeout: Duration?, cancellable: Bool = true) async -> Value? {
        await wait(timeout: timeout, cancellable: cancellable)
    }

    private func wait(timeout: Duration?, cancellable: Bool) async -> Value? {
        if let value = current {
            return value
        }
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let immediate: Value?? = state.withLock { state in
                    if let value = state.value {
                        return .some(value)
                    }
                    if cancellable && Task.isCancelled {
                        return .some(nil)
                    }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                if let timeout {
                    Deadlines.shared.schedule(after: timeout) {
                        self.giveUp(waiter: id)
                    }
                }
            }
        } onCancel: {
            if cancellable {
                giveUp(waiter: id)
            }
        }
    }

    /// Resumes waiter `id` with `nil` if it is still waiting.
    private func giveUp(waiter id: UInt64) {
        let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
        continuation?.resume(returning: nil)
    }
}

#endif
