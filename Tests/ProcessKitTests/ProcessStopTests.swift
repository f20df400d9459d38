#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessStopTests {
    typealias Support = ProcessTestSupport

    /// Reads the first stdout line (a pid printed by the script), within a deadline.
    private func firstLine(of process: RunningProcess) async throws -> String {
        try await Support.withDeadline(.seconds(10)) {
            var iterator = process.output.makeAsyncIterator()
            while let line = await iterator.next() {
                if line.stream == .stdout {
                    return line.text
                }
            }
            throw DeadlineExceeded(timeout: .zero)
        }
    }

    @Test func processIgnoringTermIsKilledAfterGraceWithItsChildren() async throws {
        let process = try await RunningProcess.spawn(
            Support.shell("trap '' TERM; sleep 1000 & echo $!; wait; echo survived"))
        let child = try #require(Int32(try await firstLine(of: process)))
        #expect(!Support.isGone(child))
        #expect(ProcStat.read(pid: child)?.processGroup == process.pid)

        let clock = ContinuousClock()
        let started = clock.now
        let status = try await Support.withDeadline(.seconds(10)) { await process.stop(grace: .milliseconds(300)) }
        let elapsed = clock.now - started
        #expect(status == .signaled(signal: SIGKILL))
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(5))
        // Reaped: the leader's /proc entry is gone when stop returns.
        #expect(ProcStat.read(pid: process.pid) == nil)
        #expect(kill(process.pid, 0) == -1 && errno == ESRCH)
        // The grandchild died with the group (a zombie at most, waiting for its new parent).
        #expect(await Support.eventually(.seconds(5)) { Support.isGone(child) })
    }

    @Test func cooperativeProcessStopsOnTerm() async throws {
        let process = try await RunningProcess.spawn(Support.shell("sleep 1000 & echo $!; wait"))
        let child = try #require(Int32(try await firstLine(of: process)))
        let clock = ContinuousClock()
        let started = clock.now
        let status = try await Support.withDeadline(.seconds(10)) { await process.stop(grace: .seconds(5)) }
        #expect(status == .signaled(signal: SIGTERM))
        #expect(clock.now - started < .seconds(4))
        #expect(ProcStat.read(pid: process.pid) == nil)
        #expect(await Support.eventually(.seconds(5)) { Support.isGone(child) })
    }

    @Test func stopIsIdempotentAndConcurrent() async throws {
        let process = try await RunningProcess.spawn(Support.shell("trap '' TERM; echo ready; while :; do sleep 1; done"))
        #expect(try await firstLine(of: process) == "ready")
        let statuses = try await Support.withDeadline(.seconds(10)) {
            await withTaskGroup(of: ProcessExitStatus.self) { group in
                for _ in 0..<5 {
                    group.addTask { await process.stop(grace: .milliseconds(200)) }
                }
                var all: [ProcessExitStatus] = []
                for await status in group {
                    all.append(status)
                }
                return all
            }
        }
        #expect(statuses == Array(repeating: .signaled(signal: SIGKILL), count: 5))
        #expect(await process.stop() == .signaled(signal: SIGKILL))
        #expect(!process.signalGroup(SIGTERM))
    }

    @Test func stopAfterNaturalExitReturnsTheExitStatus() async throws {
        let process = try await RunningProcess.spawn(Support.shell("exit 4"))
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 4))
        #expect(await process.stop() == .exited(code: 4))
        #expect(!process.signalGroup(SIGKILL))
    }

    @Test func stopRacingANaturalExit() async throws {
        for _ in 0..<20 {
            let process = try await RunningProcess.spawn(Support.shell("exit 0"))
            let status = try await Support.withDeadline(.seconds(10)) { await process.stop(grace: .seconds(5)) }
            #expect(status == .exited(code: 0) || status == .signaled(signal: SIGTERM))
        }
        #expect(await Support.eventually(.seconds(5)) { Support.zombieChildren().isEmpty })
    }

    @Test func leftoversOfTheGroupDieWhenTheLeaderExits() async throws {
        let process = try await RunningProcess.spawn(Support.shell("sleep 1000 & echo $!; exit 2"))
        let child = try #require(Int32(try await firstLine(of: process)))
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 2))
        #expect(await Support.eventually(.seconds(5)) { Support.isGone(child) })
    }

    @Test func waitForExitTimesOut() async throws {
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]))
        #expect(await process.waitForExit(timeout: .milliseconds(50)) == nil)
        #expect(process.currentExitStatus == nil)
        #expect(await process.stop() == .signaled(signal: SIGTERM))
    }
}
#endif
