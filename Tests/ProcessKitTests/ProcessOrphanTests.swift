#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessOrphanTests {
    typealias Support = ProcessTestSupport

    /// Starts a process that leaves our control (own session, outlives its parent), as a
    /// workload orphaned by a crashed node would be, and returns its identity.
    private func startOrphan(ignoringTerm: Bool) async throws -> ProcessIdentity {
        let trap = ignoringTerm ? "trap '' TERM; " : ""
        // The script waits (bounded) until setsid has run before it exits, since whatever is
        // still in its group when it exits is killed with it.
        let process = try await RunningProcess.spawn(Support.shell("""
            (\(trap)exec setsid sleep 1000) </dev/null >/dev/null 2>&1 &
            pid=$!; i=0
            while [ "$(cut -d' ' -f5 /proc/$pid/stat)" != "$pid" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
            echo $pid
            """))
        let lines = try await Support.collect(process.output)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        let pid = try #require(lines.last.flatMap { Int32($0.text) })
        #expect(ProcStat.read(pid: pid)?.processGroup == pid)
        return try #require(ProcessIdentity.current(pid: pid))
    }

    @Test func recognisesTheRecordedProcessOnly() async throws {
        let orphan = try await startOrphan(ignoringTerm: false)
        #expect(orphan.processGroup == orphan.pid)
        #expect(OrphanControl.isRunning(orphan))
        // Same pid, other start time: a reused pid is not our process.
        var reused = orphan
        reused.startTime += 1
        #expect(!OrphanControl.isRunning(reused))
        #expect(await OrphanControl.terminate(reused, grace: .milliseconds(100)) == .notRunning)
        #expect(OrphanControl.isRunning(orphan))

        let outcome = try await Support.withDeadline(.seconds(15)) { await OrphanControl.terminate(orphan) }
        #expect(outcome == .terminated)
        #expect(!OrphanControl.isRunning(orphan))
        #expect(Support.isGone(orphan.pid))
        #expect(await OrphanControl.terminate(orphan) == .notRunning)
    }

    @Test func orphanIgnoringTermIsKilled() async throws {
        let orphan = try await startOrphan(ignoringTerm: true)
        let clock = ContinuousClock()
        let began = clock.now
        let outcome = try await Support.withDeadline(.seconds(15)) {
            await OrphanControl.terminate(orphan, grace: .milliseconds(300))
        }
        #expect(outcome == .killed)
        #expect(clock.now - began >= .milliseconds(300))
        #expect(Support.isGone(orphan.pid))
    }

    @Test func identityRoundTripsThroughJSON() throws {
        let identity = ProcessIdentity(pid: 1234, processGroup: 1234, startTime: 987_654_321)
        let data = try JSONEncoder().encode(identity)
        #expect(try JSONDecoder().decode(ProcessIdentity.self, from: data) == identity)
    }

    @Test func procStatParsesNamesWithSpacesAndParentheses() throws {
        let line = "42 (we ird) (name)) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10"
        let stat = try #require(ProcStat.parse(Array(line.utf8), pid: 42))
        #expect(stat.state == UInt8(ascii: "S"))
        #expect(stat.parent == 1)
        #expect(stat.processGroup == 42)
        #expect(stat.startTime == 123_456)
        #expect(ProcStat.parse(Array("garbage".utf8), pid: 1) == nil)
        #expect(ProcessIdentity.current(pid: getpid())?.pid == getpid())
        #expect(ProcessIdentity.current(pid: -5) == nil)
    }
}
#endif
