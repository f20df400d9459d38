#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessScaleTests {
    typealias Support = ProcessTestSupport

    /// Threads of this process that ProcessKit started to wait for a child (`nex-reaper-<pid>`). Counting
    /// only these keeps the check independent of whatever other tests run in parallel.
    private static func threadCount() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.filter { task in
            let comm = String(decoding: ProcStat.readSmallFile("/proc/self/task/\(task)/comm") ?? [], as: UTF8.self)
            return comm.hasPrefix("nex-reaper")
        }.count
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
        #expect(during - before < 20, "reaper threads grew from \(before) to \(during)")

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
