import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waiting for SIGINT/SIGTERM in a nexlet executable (a node stops local agents with SIGINT).
public enum TerminationSignal {
    /// Returns the first of `signals` that arrives. Their default action is disabled from now on, so the
    /// caller can shut down cleanly (e.g. `await runner.stop()`).
    public static func wait(for signals: [Int32] = [SIGINT, SIGTERM]) async -> Int32 {
        let box = SignalSources()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            box.install(signals) { continuation.resume(returning: $0) }
        }
    }
}

/// The dispatch sources of one wait; the first signal resumes the waiter and cancels them all.
private final class SignalSources: Sendable {
    /// Dispatch sources are thread-safe objects; the array is only touched under the lock.
    private struct Sources: @unchecked Sendable {
        var list: [any DispatchSourceSignal] = []
    }

    private let state = Mutex<(sources: Sources, done: Bool)>((Sources(), false))

    func install(_ signals: [Int32], resume: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "nexlet.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in fire(number, resume: resume) }
            source.resume()
            sources.append(source)
        }
        state.withLock { $0.sources = Sources(list: sources) }
    }

    private func fire(_ number: Int32, resume: @Sendable (Int32) -> Void) {
        let sources = state.withLock { state -> Sources? in
            guard !state.done else { return nil }
            state.done = true
            defer { state.sources = Sources() }
            return state.sources
        }
        guard let sources else { return }
        for source in sources.list { source.cancel() }
        resume(number)
    }
}
