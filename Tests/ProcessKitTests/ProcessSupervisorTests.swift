#if os(Linux)
import Foundation
import Glibc
import Synchronization
import Testing
@testable import ProcessKit

@Suite struct ProcessSupervisorTests {
    typealias Support = ProcessTestSupport

    /// Collects events until the terminal one (with a deadline).
    private func events(of supervisor: ProcessSupervisor, timeout: Duration = .seconds(20)) async throws -> [SupervisorEvent] {
        try await Support.withDeadline(timeout) {
            var all: [SupervisorEvent] = []
            for await event in supervisor.events {
                all.append(event)
            }
            return all
        }
    }

    @Test func crashingServiceIsRestartedWithGrowingDelaysThenGivenUp() async throws {
        let policy = RestartPolicy(initialDelay: .milliseconds(100), multiplier: 2, maximumDelay: .seconds(1), maximumRestarts: 3)
        let supervisor = ProcessSupervisor(spec: Support.shell("exit 3"), mode: .service(policy))
        try await supervisor.start()
        let all = try await events(of: supervisor)

        let started = all.compactMap { event -> ProcessIdentity? in
            if case .started(let identity) = event { return identity }
            return nil
        }
        #expect(started.count == 4)  // the first run and 3 restarts
        let delays = all.compactMap { event -> Duration? in
            if case .restarting(_, let delay) = event { return delay }
            return nil
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])
        #expect(all.filter { $0 == .exited(.exited(code: 3)) }.count == 4)
        #expect(all.last == .gaveUp(.exited(code: 3)))
        #expect(all.filter(\.isTerminal).count == 1)
        // Order: started, exited, restarting(1) , started, … , exited, gaveUp.
        #expect(all.first.map { if case .started = $0 { true } else { false } } == true)
        #expect(Array(all[1...2]) == [.exited(.exited(code: 3)), .restarting(attempt: 1, delay: .milliseconds(100))])

        // The kernel start times prove the waits really grew (clock ticks, 10 ms granularity).
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        for (index, delay) in delays.enumerated() {
            let gap = Double(started[index + 1].startTime - started[index].startTime) / ticksPerSecond
            #expect(gap >= delay.seconds - 1 / ticksPerSecond, "restart \(index + 1) came after \(gap) s, before its \(delay) delay")
        }
        #expect(await supervisor.restarts == 3)
        #expect(await supervisor.stop() == nil)  // already finished: nothing to stop
    }

    @Test func serviceExitingCleanlyIsRestartedToo() async throws {
        let policy = RestartPolicy(initialDelay: .milliseconds(10), maximumRestarts: 1)
        let lines = LineCollector()
        let supervisor = ProcessSupervisor(spec: Support.shell("echo run"), mode: .service(policy)) { line in
            await lines.add(line)
        }
        try await supervisor.start()
        let all = try await events(of: supervisor)
        #expect(all.last == .gaveUp(.exited(code: 0)))
        // Every run's output reached the sink before its exit was reported.
        #expect(await lines.texts == ["run", "run"])
    }

    // issue 12: short-lived credentials of local nexlets
    @Test func respawnGivesEveryRestartItsOwnSpec() async throws {
        let policy = RestartPolicy(initialDelay: .milliseconds(10), maximumRestarts: 2)
        let lines = LineCollector()
        let restarts = Mutex(0)
        var first = Support.shell("echo \"$RUN\"")
        first.environment["RUN"] = "first"
        let supervisor = ProcessSupervisor(spec: first, mode: .service(policy), logSink: { line in
            await lines.add(line)
        }, respawn: { spec in
            var next = spec
            next.environment["RUN"] = "restart \(restarts.withLock { count in count += 1; return count })"
            return next
        })
        try await supervisor.start()
        let all = try await events(of: supervisor)
        #expect(all.last == .gaveUp(.exited(code: 0)))
        #expect(await lines.texts == ["first", "restart 1", "restart 2"])
        #expect(await supervisor.spec.environment["RUN"] == "first", "the first run's spec stays the supervisor's spec")
    }

    @Test func jobReportsItsExitCodeOnce() async throws {
        let lines = LineCollector()
        let supervisor = ProcessSupervisor(spec: Support.shell("echo working; echo warn >&2; exit 7"), mode: .job) { line in
            await lines.add(line)
        }
        try await supervisor.start()
        let all = try await events(of: supervisor)
        #expect(all.count == 3)
        #expect(Array(all.dropFirst()) == [.exited(.exited(code: 7)), .completed(.exited(code: 7))])
        #expect(await lines.texts.sorted() == ["warn", "working"])
        #expect(await supervisor.waitUntilFinished(timeout: .seconds(1)) == .completed(.exited(code: 7)))
    }

    @Test func stopCancelsAPendingRestart() async throws {
        let policy = RestartPolicy(initialDelay: .seconds(60), maximumDelay: .seconds(120), maximumRestarts: 3)
        let supervisor = ProcessSupervisor(spec: Support.shell("exit 1"), mode: .service(policy))
        try await supervisor.start()
        let seen = try await Support.withDeadline(.seconds(10)) {
            var seen: [SupervisorEvent] = []
            for await event in supervisor.events {
                seen.append(event)
                if case .restarting = event {
                    break
                }
            }
            return seen
        }
        #expect(seen.last == .restarting(attempt: 1, delay: .seconds(60)))
        let clock = ContinuousClock()
        let began = clock.now
        let status = try await Support.withDeadline(.seconds(5)) { await supervisor.stop() }
        #expect(status == nil)
        #expect(clock.now - began < .seconds(2))
        #expect(await supervisor.waitUntilFinished(timeout: .seconds(1)) == .stopped(nil))
        let rest = try await events(of: supervisor, timeout: .seconds(5))
        #expect(rest == [.stopped(nil)])
        #expect(await supervisor.currentProcess == nil)
    }

    @Test func stoppingARunningServiceDoesNotRestartIt() async throws {
        let supervisor = ProcessSupervisor(
            spec: ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]),
            mode: .service(RestartPolicy(initialDelay: .milliseconds(10))), stopGrace: .seconds(5))
        try await supervisor.start()
        let pid = try #require(await supervisor.currentProcess?.pid)
        let statuses = try await Support.withDeadline(.seconds(10)) {
            async let first = supervisor.stop()
            async let second = supervisor.stop()
            return await [first, second]
        }
        #expect(statuses == [.signaled(signal: SIGTERM), .signaled(signal: SIGTERM)])
        #expect(ProcStat.read(pid: pid) == nil)
        let all = try await events(of: supervisor, timeout: .seconds(5))
        #expect(all.count == 2)
        #expect(all.last == .stopped(.signaled(signal: SIGTERM)))
    }

    @Test func stopUsesTheGracePeriodThenKills() async throws {
        let lines = LineCollector()
        let supervisor = ProcessSupervisor(
            spec: Support.shell("trap '' TERM; echo ready; while :; do sleep 1; done"), mode: .job,
            stopGrace: .milliseconds(200)
        ) { line in
            await lines.add(line)
        }
        try await supervisor.start()
        #expect(await Support.eventuallyAsync(.seconds(10)) { await lines.texts.contains("ready") })
        let clock = ContinuousClock()
        let began = clock.now
        let status = try await Support.withDeadline(.seconds(10)) { await supervisor.stop() }
        #expect(status == .signaled(signal: SIGKILL))
        #expect(clock.now - began >= .milliseconds(200))
        #expect(await supervisor.waitUntilFinished(timeout: .seconds(1)) == .stopped(.signaled(signal: SIGKILL)))
    }

    @Test func stopDuringTheFirstStartStopsTheNewProcess() async throws {
        let supervisor = ProcessSupervisor(
            spec: ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]), mode: .service(.standard))
        let statuses = try await Support.withDeadline(.seconds(10)) {
            async let started: Void = supervisor.start()
            async let stopped = supervisor.stop()
            try await started
            return await stopped
        }
        // Either the stop came first (nothing ran) or it stopped the fresh process.
        #expect(statuses == nil || statuses == .signaled(signal: SIGTERM))
        let terminal = await supervisor.waitUntilFinished(timeout: .seconds(5))
        #expect(terminal == .stopped(statuses))
        #expect(await supervisor.currentProcess == nil)
    }

    @Test func stoppedProcessIsStoppedToo() async throws {
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]))
        #expect(process.signalGroup(SIGSTOP))
        #expect(await Support.eventually(.seconds(5)) { ProcStat.read(pid: process.pid)?.state == UInt8(ascii: "T") })
        let status = try await Support.withDeadline(.seconds(10)) { await process.stop(grace: .seconds(5)) }
        #expect(status == .signaled(signal: SIGTERM))
    }

    @Test func startFailureThrowsAndEndsTheEvents() async throws {
        let supervisor = ProcessSupervisor(spec: ProcessSpec(executablePath: "/nonexistent/app"), mode: .service(.standard))
        await #expect(throws: ProcessError.executableNotFound(path: "/nonexistent/app")) {
            try await supervisor.start()
        }
        #expect(try await events(of: supervisor, timeout: .seconds(5)).isEmpty)
    }

    @Test func restartThatCannotSpawnEndsTheService() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("service.sh")
        // The service deletes its own artifact and exits: the restart cannot spawn it.
        try Data("#!/bin/sh\nrm -f \"$0\"\nexit 6\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let policy = RestartPolicy(initialDelay: .milliseconds(10), maximumRestarts: 3)
        let supervisor = ProcessSupervisor(
            spec: ProcessSpec(executablePath: script.path, environment: ["PATH": "/usr/bin:/bin"]), mode: .service(policy))
        try await supervisor.start()
        let all = try await events(of: supervisor)
        #expect(all.last == .restartFailed(.executableNotFound(path: script.path), lastStatus: .exited(code: 6)))
    }

    @Test func backoffIsCapped() {
        let policy = RestartPolicy(initialDelay: .milliseconds(250), multiplier: 2, maximumDelay: .seconds(1), maximumRestarts: 10)
        #expect((1...5).map(policy.delay(beforeRestart:)) == [
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(1), .seconds(1),
        ])
        #expect(RestartPolicy.standard.maximumRestarts == 3)
        #expect(RestartPolicy.standard.initialDelay == .milliseconds(250))
        #expect(policy.delay(beforeRestart: 10_000) == .seconds(1))
    }
}

/// Collects log lines from a sink.
actor LineCollector {
    private(set) var lines: [LogLine] = []
    func add(_ line: LogLine) { lines.append(line) }
    var texts: [String] { lines.map(\.text) }
}
#endif
