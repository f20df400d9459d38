#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessScaleTests {
    typealias Support = ProcessTestSupport

    private static func threadCount() -> Int {
        let status = String(decoding: ProcStat.readSmallFile("/proc/self/status") ?? [], as: UTF8.self)
        let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
        return line.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// Many supervised processes cost descriptors, not threads: exits are watched through
    /// pidfds on the one event-loop thread.
    @Test func twoHundredProcessesWithoutAThreadEach() async throws {
        let count = 200
        let before = Self.threadCount()
        let processes = try await withThrowingTaskGroup(of: RunningProcess.self) { group in
            for _ in 0..<count {
                group.addTask { try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"])) }
            }
            var all: [RunningProcess] = []
            for try await process in group {
                all.append(process)
            }
            return all
        }
        #expect(processes.count == count)
        let during = Self.threadCount()
        #expect(during - before < 40, "threads grew from \(before) to \(during)")

        let statuses = try await Support.withDeadline(.seconds(60)) {
            await withTaskGroup(of: ProcessExitStatus.self) { group in
                for process in processes {
                    group.addTask { await process.stop(grace: .seconds(5)) }
                }
                var all: [ProcessExitStatus] = []
                for await status in group {
                    all.append(status)
                }
                return all
            }
        }
        #expect(statuses.allSatisfy { $0 == .signaled(signal: SIGTERM) })
        #expect(processes.allSatisfy { ProcStat.read(pid: $0.pid) == nil })
    }
}
#endif
