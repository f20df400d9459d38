#if os(Linux)
import Foundation
import Glibc
@testable import ProcessKit

/// Helpers shared by the process-layer tests.
enum ProcessTestSupport {
    /// `/bin/sh -c script` with an optional environment.
    static func shell(_ script: String, environment: [String: String] = ["PATH": "/usr/bin:/bin"], stdin: [UInt8]? = nil) -> ProcessSpec {
        ProcessSpec(executablePath: "/bin/sh", arguments: ["-c", script], environment: environment, standardInput: stdin)
    }

    /// Collects all output lines, failing the wait after `timeout`.
    static func collect(_ output: ProcessOutput, timeout: Duration = .seconds(20)) async throws -> [LogLine] {
        try await withDeadline(timeout) {
            var lines: [LogLine] = []
            for await line in output {
                lines.append(line)
            }
            return lines
        }
    }

    /// Runs `body`, throwing ``DeadlineExceeded`` if it takes longer than `timeout`.
    static func withDeadline<T: Sendable>(
        _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw DeadlineExceeded(timeout: timeout)
            }
            return value
        }
    }

    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    static func eventually(_ timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() {
                return true
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// ``eventually(_:_:)`` for an async condition.
    static func eventuallyAsync(_ timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() {
                return true
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }

    /// True if `pid` no longer runs: gone from /proc, or a zombie waiting for its (new) parent.
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = ProcStat.read(pid: pid) else {
            return true
        }
        return stat.isZombie
    }

    /// Zombie children of this test process.
    static func zombieChildren() -> [Int32] {
        let me = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = ProcStat.read(pid: pid) else { return false }
            return stat.parent == me && stat.isZombie
        }
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nex-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct DeadlineExceeded: Error, CustomStringConvertible {
    var timeout: Duration
    var description: String { "deadline of \(timeout) exceeded" }
}
#endif
