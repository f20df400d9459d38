import Foundation
import Glibc
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import ProcessKit
import Testing

/// Services, jobs and stops of the native nexlet, with real processes through a real node and client.
@Suite struct NativeLifecycleTests {
    @Test func crashingServiceRestartsWithGrowingDelaysThenGivesUp() async throws {
        try await withTeardown { teardown in
            let policy = RestartPolicy(initialDelay: .milliseconds(200), multiplier: 2, maximumDelay: .seconds(5), maximumRestarts: 3)
            let harness = try await NativeHarness.start { $0.restartPolicy = policy }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let events = try await EventLog(user, from: "user")
            let runs = harness.directory.appendingPathComponent("runs").path
            let crasher = try harness.script("crasher", #"date +%s%N >> "$RUNS"; echo "run $$"; exit 3"#)
            let deployed = try await user.deploy(
                nativeRequest(name: "crasher", runRequest: runRequest(uri: "file://\(crasher)", environment: ["RUNS": runs])))
            let id = deployed.response.id

            let stopped = try await events.waitForStopped(id)
            #expect(stopped.error?.code == "3")
            #expect(stopped.error?.message.contains("gave up after 3 restarts") == true)
            #expect(stopped.workloadType == "native")
            #expect(stopped.namespace == "user")
            // Initial run plus three restarts, each announced.
            #expect(events.started(id).count == 4)
            let starts = try String(contentsOfFile: runs, encoding: .utf8).split(separator: "\n").compactMap { Int64($0) }
            #expect(starts.count == 4)
            // Each restart waited at least its backoff delay after the previous run began (and so after it ended).
            for attempt in 1..<starts.count {
                let gap = Duration.nanoseconds(starts[attempt] - starts[attempt - 1])
                #expect(gap >= policy.delay(beforeRestart: attempt), "restart \(attempt) came after \(gap)")
            }
            #expect(try await user.listWorkloads().get().all.isEmpty)
            #expect(harness.processRecords.isEmpty)
        }
    }

    @Test func jobExitCodeReachesWorkloadStopped() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let events = try await EventLog(user, from: "user")
            let failing = try harness.script("failing", "echo working; exit 7")
            let passing = try harness.script("passing", "echo done")
            let failed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "file://\(failing)")))
            let passed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "file://\(passing)")))

            let failure = try await events.waitForStopped(failed.response.id)
            #expect(failure.error == WorkloadStoppedEventError(code: "7", message: "job ended with exit code 7"))
            let success = try await events.waitForStopped(passed.response.id)
            #expect(success.error == nil)
            // Jobs run once: one start each, and they are gone afterwards.
            #expect(events.started(failed.response.id).count == 1)
            try await eventually("jobs removed") { try await user.listWorkloads().get().all.isEmpty }
            #expect(harness.processRecords.isEmpty)
        }
    }

    @Test func processIgnoringSigtermIsKilledAfterTheGraceWithItsChildren() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.stopGrace = .seconds(1) }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let stubborn = try harness.script("stubborn", """
                trap '' TERM
                sleep 300 &
                echo "child $!"
                wait
                """)
            let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(stubborn)")))
            let id = deployed.response.id
            let output = try await logs.waitFor("child ", in: id)
            let child = try #require(output.split(separator: " ").last.flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            let leader = try #require(harness.nexlet.processID(of: id))
            #expect(processIsAlive(leader) && processIsAlive(child))

            let began = ContinuousClock.now
            let reply = try await user.stopWorkload(id: id)
            let took = ContinuousClock.now - began
            #expect(reply.stopped)
            #expect(took >= .seconds(1), "SIGKILL came only after the grace period")
            // The reply came after the process was gone (reaped), and its child was killed with the group.
            #expect(kill(leader, 0) == -1 && errno == ESRCH)
            try await eventually("the child is gone") { !processIsAlive(child) }
            #expect(try await user.listWorkloads().get().all.isEmpty)
            #expect(harness.processRecords.isEmpty)
        }
    }

    @Test func stopRepliesOnlyAfterTheProcessExited() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.stopGrace = .seconds(10) }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let events = try await EventLog(user, from: "user")
            let logs = try await LogCapture(user, namespace: "user")
            let marker = harness.directory.appendingPathComponent("cleaned").path
            // Takes a while to shut down after SIGTERM, then leaves a marker.
            let slow = try harness.script("slow", """
                trap 'sleep 0.5; echo bye > "\(marker)"; exit 0' TERM
                echo ready
                while true; do sleep 0.1; done
                """)
            let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(slow)")))
            let id = deployed.response.id
            try await logs.waitFor("ready", in: id)
            let leader = try #require(harness.nexlet.processID(of: id))
            let reply = try await user.stopWorkload(id: id)
            #expect(reply.stopped)
            #expect(FileManager.default.fileExists(atPath: marker), "the SIGTERM handler finished before the reply")
            #expect(kill(leader, 0) == -1 && errno == ESRCH)
            let stopped = try await events.waitForStopped(id)
            #expect(stopped.error == nil)
        }
    }

    @Test func serviceExitingCleanlyIsRestartedToo() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start {
                $0.restartPolicy = RestartPolicy(initialDelay: .milliseconds(50), maximumRestarts: 1)
            }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let events = try await EventLog(user, from: "user")
            let quitter = try harness.script("quitter", "exit 0")
            let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(quitter)")))
            let stopped = try await events.waitForStopped(deployed.response.id)
            #expect(stopped.error?.code == "0")
            #expect(events.started(deployed.response.id).count == 2)
        }
    }

    @Test func lameduckStopsEverythingAndRefusesNewWorkloads() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.stopGrace = .seconds(10) }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let events = try await EventLog(user, from: "user")
            let sleeper = try harness.script("sleeper", "trap '' TERM; while true; do sleep 0.1; done")
            var ids: [String] = []
            for _ in 0..<2 {
                ids.append(try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(sleeper)"))).response.id)
            }
            let pids = ids.compactMap { harness.nexlet.processID(of: $0) }
            #expect(pids.count == 2)
            // The delay bounds the grace: SIGTERM is ignored, SIGKILL follows after one second.
            try await harness.nexlet.setLameduck(delay: .seconds(1))
            for pid in pids { #expect(kill(pid, 0) == -1 && errno == ESRCH) }
            for id in ids { _ = try await events.waitForStopped(id) }
            #expect(await harness.nexlet.summary().workloadCount == 0)
            await #expect {
                _ = try await harness.nexlet.start(
                    workloadID: "AFTERLAMEDUCK", request: AgentStartWorkloadRequest(request: nativeRequest(runRequest: runRequest(uri: "file://\(sleeper)"))),
                    replayed: false)
            } throws: { error in
                (error as? NativeStartError) == .lameduck
            }
        }
    }
}
