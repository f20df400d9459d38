import Foundation

/// Runs work that may recurse deeply on a thread with a large stack, so deep evaluation cannot
/// overflow a caller's small stack (Swift concurrency threads have as little as 512 KiB).
enum LargeStack {
    /// Stack size of the helper thread: room for `Evaluator.maxNesting` levels even in debug builds.
    static let stackSize = 64 << 20

    /// Runs `work` on a fresh thread and waits for its result.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) -> Result {
        let box = ResultBox<Result>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = work()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        guard let value = box.value else { preconditionFailure("helper thread finished without a result") }
        return value
    }

    /// Written once by the helper thread before it signals, read once after the wait.
    private final class ResultBox<Value: Sendable>: @unchecked Sendable {
        var value: Value?
    }
}
