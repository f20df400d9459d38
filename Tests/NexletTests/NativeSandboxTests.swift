import Foundation
import Glibc
import Logging
import NATSKit
import NATSTestSupport
import NexClient
@testable import Nexlet
import NexProtocol
import ProcessKit
import Synchronization
import Testing

// issue 12: sandbox
/// Native workloads under uids of their own, attacked from inside a workload: each attack is a real process
/// that tries and reports, next to the legitimate path that must still work. Needs root (CI runs as root).
@Suite(.enabled(if: ProcessSandbox.isAvailable, "sandboxing workloads needs root"))
struct NativeSandboxTests {
    static let digestedProgram = Data("#!/bin/sh\necho \"genuine $*\"\n".utf8)
    static var digestedDigest: String { "sha256:" + SHA256.hash(digestedProgram).map { String(format: "%02x", $0) }.joined() }

    /// `Uid:` of `/proc/<pid>/status` (real uid).
    static func uid(of pid: Int32) -> UInt32? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") })
        else { return nil }
        return line.dropFirst(4).split(whereSeparator: { $0 == "\t" || $0 == " " }).first.flatMap { UInt32($0) }
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func aWorkloadCannotReachAnotherWorkloadOrTheNexlet() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let state = harness.directory.appendingPathComponent("state").path
            // B: the victim, with a secret in its environment.
            let victim = try harness.script("victim", "echo ready; exec sleep 1000")
            let b = try await user.deploy(nativeRequest(name: "victim", runRequest: runRequest(
                uri: "file://\(victim)", environment: ["B_SECRET": "b-secret-value"])))
            try await logs.waitFor("ready", in: b.response.id)
            let victimPID = try #require(harness.nexlet.processID(of: b.response.id))

            // A: the attacker, a job running from a digest-verified (cached) artifact of its own.
            let source = harness.directory.appendingPathComponent("attacker-source").path
            let attack = """
                #!/bin/sh
                try() { if "$@" >/dev/null 2>&1; then echo allowed; else echo denied; fi; }
                echo "b_environ=$(try cat /proc/\(victimPID)/environ)"
                echo "own_environ=$(try grep -q A_MARKER /proc/self/environ)"
                echo "xkey=$(try cat \(state)/xkey.seed)"
                echo "ledger=$(try cat \(state)/processes.jsonl)"
                echo "state_list=$(try ls \(state))"
                echo "cache_write=$(try touch \(state)/artifacts/planted)"
                echo "artifact_write=$(try sh -c 'echo evil >> /proc/self/fd/3')"
                echo "artifact_read=$(try cat /proc/self/fd/3)"
                echo "signal_b_group=$(try kill -0 -\(victimPID))"
                echo "signal_b=$(try kill -0 \(victimPID))"
                echo "signal_node=$(try kill -0 \(getpid()))"
                echo "signal_self=$(try kill -0 $$)"
                echo "signal_own_group=$(try kill -0 -$$)"
                echo "home_write=$(try touch "$HOME/mine")"
                echo "homes_list=$(try ls "$HOME/..")"
                echo "nnp=$(grep NoNewPrivs /proc/self/status | tr -d ' \\t')"
                echo "uid=$(id -u) groups=$(id -G)"
                echo "home=$HOME cwd=$(pwd)"
                echo "home_mode=$(stat -c %a:%u "$HOME")"
                echo done
                """
            try Data(attack.utf8).write(to: URL(fileURLWithPath: source))
            let digest = "sha256:" + SHA256.hash(Array(attack.utf8)).map { String(format: "%02x", $0) }.joined()
            let a = try await user.deploy(nativeRequest(name: "attacker", lifecycle: .job, runRequest: runRequest(
                uri: "file://\(source)", environment: ["A_MARKER": "1"], ["digest": digest])))
            let text = try await logs.waitFor("done", in: a.response.id)
            let report = NativeEnvironmentTests.variables(text)

            #expect(report["b_environ"] == "denied", "\(text)")
            #expect(report["own_environ"] == "allowed", "positive control: \(text)")
            #expect(report["xkey"] == "denied")
            #expect(report["ledger"] == "denied")
            #expect(report["state_list"] == "denied")
            #expect(report["cache_write"] == "denied")
            #expect(report["artifact_write"] == "denied")
            #expect(report["artifact_read"] == "allowed", "positive control: it can read its own artifact")
            #expect(report["signal_b_group"] == "denied")
            #expect(report["signal_b"] == "denied")
            #expect(report["signal_node"] == "denied")
            #expect(report["signal_self"] == "allowed", "positive control")
            #expect(report["signal_own_group"] == "allowed", "positive control: the group syntax works")
            #expect(report["home_write"] == "allowed", "positive control")
            #expect(report["homes_list"] == "denied")
            #expect(report["nnp"] == "NoNewPrivs:1")
            let victimUID = try #require(Self.uid(of: victimPID))
            #expect(victimUID >= 61184 && victimUID <= 65519)
            let attackerUID = try #require(report["uid"].flatMap { $0.split(separator: " ").first }.flatMap { UInt32($0) })
            #expect(attackerUID != victimUID)
            #expect(attackerUID >= 61184 && attackerUID <= 65519)
            #expect(report["uid"] == "\(attackerUID) groups=\(attackerUID)", "no supplementary groups")
            let home = try #require(report["home"]?.split(separator: " ").first.map(String.init))
            #expect(report["home"] == "\(home) cwd=\(home)")
            #expect(report["home_mode"] == "700:\(attackerUID)")
            #expect(!FileManager.default.fileExists(atPath: "\(state)/artifacts/planted"))

            // B is untouched and the node still answers.
            #expect(processIsAlive(victimPID))
            let listed = try await user.listWorkloads().get().all
            #expect(listed.map(\.id).contains(b.response.id))
            // The job's home goes away with it.
            try await eventually("the attacker's home is removed") { !FileManager.default.fileExists(atPath: home) }
        }
    }

    @Test func theNexletsStateIsPrivateFromTheStart() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let path = harness.directory.appendingPathComponent("sleeper").path
            let program = Data("#!/bin/sh\nexec sleep 1000\n".utf8)
            try program.write(to: URL(fileURLWithPath: path))
            let digest = SHA256.hash(program).map { String(format: "%02x", $0) }.joined()
            let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(path)", ["digest": "sha256:\(digest)"])))
            try await eventually("recorded") { harness.processRecords == [deployed.response.id] }
            let state = harness.directory.appendingPathComponent("state").path
            #expect(Self.mode(state) == 0o700)
            #expect(Self.mode("\(state)/xkey.seed") == 0o600)
            #expect(Self.mode("\(state)/processes.jsonl") == 0o600)
            #expect(Self.mode("\(state)/artifacts") == 0o700)
            #expect(Self.mode("\(state)/artifacts/sha256-\(digest)") == 0o555)
            // The record knows the uid the process runs under (for replay and uid bookkeeping).
            let pid = try #require(harness.nexlet.processID(of: deployed.response.id))
            let record = try #require(ProcessRecordFile.fold(contentsOf: URL(fileURLWithPath: "\(state)/processes.jsonl")).live[deployed.response.id])
            #expect(record.uid != nil)
            #expect(record.uid == Self.uid(of: pid))
        }
    }

    @Test func aTamperedCachedArtifactIsRefusedAtItsNextUse() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let path = harness.directory.appendingPathComponent("digested").path
            try Self.digestedProgram.write(to: URL(fileURLWithPath: path))
            let request = runRequest(uri: "file://\(path)", argv: ["run"], ["digest": Self.digestedDigest])
            let first = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: request))
            try await logs.waitFor("genuine run", in: first.response.id)
            // A function from the same cached bytes answers (positive control) ...
            let function = try await user.deploy(nativeRequest(lifecycle: .function, runRequest: request))
            let subject = "user.\(function.response.id)"
            let good = try await harness.connection.request(subject, payload: Data(), timeout: .seconds(10))
            #expect(good.string == "genuine run\n")
            #expect(good.headers["error"] == nil)

            // ... then the cached copy is rewritten in place (what a workload running as the node's user could do).
            let cached = harness.directory.appendingPathComponent("state/artifacts/sha256-\(Self.digestedDigest.dropFirst(7))").path
            let handle = try #require(FileHandle(forWritingAtPath: cached))
            try handle.write(contentsOf: Data("#!/bin/sh\necho tampered\n".utf8))
            try handle.close()

            // The next invocation of the function refuses the tampered bytes.
            let refused = try await harness.connection.request(subject, payload: Data(), timeout: .seconds(10))
            #expect(refused.string != "tampered\n")
            #expect(refused.headers["error"]?.contains("the cached artifact was modified") == true, "\(refused.headers)")
            // The tampered copy was removed: the next start copies the genuine bytes again and runs them.
            #expect(!FileManager.default.fileExists(atPath: cached))
            let again = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: request))
            try await logs.waitFor("genuine run", in: again.response.id)

            // Tampering once more: the next start is refused with a clear error and nothing of it runs.
            try await eventually("the second copy is cached") { FileManager.default.fileExists(atPath: cached) }
            let second = try #require(FileHandle(forWritingAtPath: cached))
            try second.write(contentsOf: Data("#!/bin/sh\necho tampered\n".utf8))
            try second.close()
            await #expect {
                _ = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: request))
            } throws: { error in
                guard let error = error as? NexError else { return false }
                return error.status == 100 && error.body.contains("the cached artifact was modified")
            }
        }
    }

    @Test func aStoppedWorkloadLeavesNothingRunningUnderItsUid() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            // The service starts a daemon outside its process group, then waits.
            let escaper = try harness.script("escaper", """
                setsid sh -c 'echo "daemon=$$"; exec sleep 1000' &
                echo "home=$HOME"
                exec sleep 1000
                """)
            let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(escaper)")))
            let id = deployed.response.id
            let text = try await logs.waitFor("daemon=", in: id)
            let report = NativeEnvironmentTests.variables(try await logs.waitFor("home=", in: id))
            let daemon = try #require(report["daemon"].flatMap { Int32($0) }, "\(text)")
            let home = try #require(report["home"])
            #expect(processIsAlive(daemon))
            #expect(FileManager.default.fileExists(atPath: home))
            _ = try await user.stopWorkload(id: id)
            try await eventually("the escaped daemon is killed") { !processIsAlive(daemon) }
            try await eventually("the home is removed") { !FileManager.default.fileExists(atPath: home) }
        }
    }

    @Test func orphanRecoveryAlsoKillsWhatTheOrphanStartedOutsideItsGroup() async throws {
        let first = try await NativeHarness.start()
        let user = try first.client()
        let logs = try await LogCapture(user, namespace: "user")
        // The daemon leaves the group and drops the environment that marks workload processes (NEX_WORKLOAD_OWNER).
        let escaper = try first.script("escaper", """
            setsid /usr/bin/env -i /bin/sh -c 'echo "daemon=$$"; exec /bin/sleep 1000' &
            echo "home=$HOME"
            exec sleep 1000
            """)
        let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(escaper)")))
        let id = deployed.response.id
        _ = try await logs.waitFor("daemon=", in: id)
        let report = NativeEnvironmentTests.variables(try await logs.waitFor("home=", in: id))
        let daemon = try #require(report["daemon"].flatMap { Int32($0) })
        let home = try #require(report["home"])
        let leader = try #require(first.nexlet.processID(of: id))
        first.nexlet.simulateCrash()
        await first.stop(keepDirectory: true)
        defer { try? FileManager.default.removeItem(at: first.directory) }
        #expect(processIsAlive(leader) && processIsAlive(daemon))

        // The next instance on the same state directory stops the recorded orphan and, by its recorded uid, the daemon.
        let second = try NativeNexlet(options: NativeHarness.options(directory: first.directory))
        let recoveries = await second.recoverOrphans()
        #expect(recoveries.map(\.record.workloadID) == [id])
        #expect(recoveries.first?.record.uid == Self.uid(of: daemon) || !processIsAlive(daemon))
        try await eventually("the orphan is gone") { !processIsAlive(leader) }
        try await eventually("the escaped daemon is gone") { !processIsAlive(daemon) }
        // ... and removes the home the crashed run made for it.
        #expect(!FileManager.default.fileExists(atPath: home))
    }

    /// A nexlet that crashed leaves its uids marked: another nexlet (another state directory) never runs a
    /// workload under the uid of a still-running orphan (it would share the orphan's uid), while the crashed
    /// nexlet's successor takes it back (positive control).
    @Test func anotherNexletNeverGetsTheUidOfACrashedNexletsOrphan() async throws {
        let first = try await NativeHarness.start()
        let sleeper = try first.script("sleeper", "exec sleep 1000")
        let orphanID = try await first.client().deploy(nativeRequest(runRequest: runRequest(uri: "file://\(sleeper)"))).response.id
        let orphan = try #require(first.nexlet.processID(of: orphanID))
        let orphanUID = try #require(Self.uid(of: orphan))
        first.nexlet.simulateCrash()
        await first.stop(keepDirectory: true)
        defer { try? FileManager.default.removeItem(at: first.directory) }
        #expect(processIsAlive(orphan))

        let other = try await NativeHarness.start()
        let script = try other.script("sleeper", "exec sleep 1000")
        var uids: [UInt32] = []
        for _ in 0..<3 {
            let id = try await other.client().deploy(nativeRequest(runRequest: runRequest(uri: "file://\(script)"))).response.id
            let pid = try #require(other.nexlet.processID(of: id))
            uids.append(try #require(Self.uid(of: pid)))
        }
        #expect(!uids.contains(orphanUID), "\(uids) must not contain the orphan's uid \(orphanUID)")
        #expect(processIsAlive(orphan))
        await other.stop()

        // The successor on the crashed nexlet's state directory stops the orphan and frees its uid.
        let second = try NativeNexlet(options: NativeHarness.options(directory: first.directory))
        _ = await second.recoverOrphans()
        try await eventually("the orphan is gone") { !processIsAlive(orphan) }
    }

    @Test func workloadsAsNodeUserTurnsTheSandboxOff() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.workloadsAsNodeUser = true }
            teardown.add { await harness.stop() }
            #expect(harness.nexlet.sandboxing == nil)
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let whoami = try harness.script("whoami", #"echo "uid=$(id -u)""#)
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "file://\(whoami)")))
            try await logs.waitFor("uid=\(geteuid())", in: deployed.response.id)
        }
    }
}

/// Function invocations are capped per function; beyond the cap they wait their turn, beyond the queue they are
/// refused with a clear error. Runs under any user.
@Suite struct NativeFunctionConcurrencyTests {
    @Test func aFloodNeverRunsMoreThanTheCapAndEveryMessageIsAnswered() async throws {
        try await withTeardown { teardown in
            let cap = 4
            let harness = try await NativeHarness.start { $0.maxFunctionConcurrency = cap }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let runs = harness.directory.appendingPathComponent("runs-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
            chmod(runs.path, 0o1777)
            // Each invocation marks itself as running, counts the running ones, and unmarks itself.
            let counter = try harness.script("counter", """
                cat > /dev/null
                touch "\(runs.path)/run.$$"
                n=$(ls "\(runs.path)" | grep -c '^run\\.')
                sleep 0.05
                rm -f "\(runs.path)/run.$$"
                printf '%s' "$n"
                """)
            let deployed = try await user.deploy(nativeRequest(lifecycle: .function, runRequest: runRequest(uri: "file://\(counter)")))
            let subject = "user.\(deployed.response.id)"
            let replies = try await withThrowingTaskGroup(of: NatsMessage.self) { group in
                for _ in 0..<500 {
                    group.addTask { try await harness.connection.request(subject, payload: Data("x".utf8), timeout: .seconds(60)) }
                }
                return try await group.reduce(into: [NatsMessage]()) { $0.append($1) }
            }
            #expect(replies.count == 500, "every message gets a reply")
            let counts = replies.filter { $0.headers["error"] == nil }.compactMap { Int($0.string) }
            let errors = replies.compactMap { $0.headers["error"] }
            #expect(counts.count + errors.count == 500)
            #expect(errors.allSatisfy { $0.contains("is busy") && $0.contains("max_function_concurrency \(cap)") }, "\(Set(errors))")
            #expect(!counts.isEmpty)
            #expect((counts.max() ?? 0) <= cap, "at most \(cap) at once, saw \(counts.max() ?? 0)")
            #expect((counts.max() ?? 0) >= 2, "invocations do run in parallel up to the cap")
            // The queue holds 64 per slot: with 500 at once most are served, the rest refused at once.
            #expect(counts.count >= cap * 64)
        }
    }

    @Test func aNamespaceThatIsNotOneLiteralTokenGetsNoTrigger() throws {
        for namespace in ["*", ">", "a.b", "a b"] {
            #expect(throws: NativeStartError.self) {
                _ = try NativeNexlet.triggerSubject("\(namespace).x", workloadID: "w1", namespace: namespace)
            }
            #expect(throws: NativeStartError.self) {
                _ = try NativeNexlet.triggerSubject(nil, workloadID: "w1", namespace: namespace)
            }
        }
        #expect(try NativeNexlet.triggerSubject("user.x.>", workloadID: "w1", namespace: "user") == "user.x.>")
        #expect(throws: NativeStartError.self) { _ = try NativeNexlet.triggerSubject("*.x", workloadID: "w1", namespace: "user") }
        #expect(throws: NativeStartError.self) { _ = try NativeNexlet.triggerSubject(">", workloadID: "w1", namespace: "user") }
    }
}

/// The gate alone: admission, FIFO hand-over, the bounded wait and the bounded queue.
@Suite struct FunctionGateTests {
    @Test func slotsPassInOrderAndWaitsAreBounded() async throws {
        let gate = FunctionGate(limit: 1, maximumWaiting: 1)
        #expect(await gate.enter(timeout: .seconds(5)) == .admitted)
        // The queue holds one: a second waiter is refused at once.
        let waiting = Task { await gate.enter(timeout: .seconds(20)) }
        try await eventually("one waiting") { gate.load.waiting == 1 }
        #expect(await gate.enter(timeout: .seconds(20)) == .queueFull)
        // Leaving hands the slot straight to the waiter.
        gate.leave()
        #expect(await waiting.value == .admitted)
        #expect(gate.load.running == 1)
        // Nobody leaves now: a wait ends at its timeout.
        let clock = ContinuousClock()
        let started = clock.now
        #expect(await gate.enter(timeout: .milliseconds(100)) == .timedOut)
        #expect(clock.now - started >= .milliseconds(100))
        #expect(gate.load.waiting == 0)
        gate.leave()
        #expect(gate.load.running == 0)
        #expect(await gate.enter(timeout: .seconds(1)) == .admitted)  // positive control: free again
        gate.leave()
    }
}

@Suite struct NativeSandboxWarningTests {
    @Test func runningWorkloadsAsTheNodeUserIsAnnouncedOnceAtStart() throws {
        let handler = LogRecorder()
        var options = NativeNexletOptions(workloadsAsNodeUser: true)
        options.logger = handler.logger(label: "warning-test")
        let nexlet = try NativeNexlet(options: options)
        #expect(nexlet.sandboxing == nil)
        let warnings = handler.all.filter { $0.hasPrefix("warning") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("NOT isolated") == true)
        #expect(warnings.first?.contains("workloads_as_node_user") == true)
        // Positive control: a sandboxing nexlet (as root) says nothing of the kind.
        if ProcessSandbox.isAvailable {
            let quiet = LogRecorder()
            var sandboxed = NativeNexletOptions()
            sandboxed.logger = quiet.logger(label: "warning-test")
            #expect(try NativeNexlet(options: sandboxed).sandboxing != nil)
            #expect(quiet.all.isEmpty)
        }
        #expect(throws: NativeStartError.self) { _ = try NativeNexlet(options: NativeNexletOptions(workloadUIDRange: 0...10)) }
        #expect(throws: NativeStartError.self) { _ = try NativeNexlet(options: NativeNexletOptions(maxFunctionConcurrency: 0)) }
    }
}
