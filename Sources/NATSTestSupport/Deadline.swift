import Foundation

public struct TimedOut: Error, CustomStringConvertible {
    public var description: String
}

/// Polls `condition` until it holds, failing after `timeout`. For state that has no event to wait for.
public func eventually(_ what: String = "condition", timeout: Duration = .seconds(10), poll: Duration = .milliseconds(10), _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        if ContinuousClock.now >= deadline { throw TimedOut(description: "\(what) not reached within \(timeout)") }
        try await Task.sleep(for: poll)
    }
}

/// Runs `body`, failing with `TimedOut` if it takes longer than `timeout`.
public func withDeadline<T: Sendable>(_ timeout: Duration, _ what: String = "operation", _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut(description: "\(what) did not finish within \(timeout)")
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimedOut(description: what) }
        return first
    }
}
