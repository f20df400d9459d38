import Synchronization

/// Calls `beat` every `interval` until stopped. ``stop()`` returns only once the loop has ended, so no beat
/// can follow it.
final class HeartbeatLoop: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts the loop; the first beat comes one interval from now (the caller sends the immediate one).
    func start(interval: Duration, beat: @escaping @Sendable () async -> Void) {
        let loop = Task {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                await beat()
            }
        }
        let previous = task.withLock { current -> Task<Void, Never>? in
            defer { current = loop }
            return current
        }
        previous?.cancel()
    }

    /// Cancels the loop and waits until it has ended.
    func stop() async {
        let current = task.withLock { current -> Task<Void, Never>? in
            defer { current = nil }
            return current
        }
        current?.cancel()
        await current?.value
    }
}
