import Foundation
import Glibc
import JSONSchema
import NATSKit
import NATSTestSupport
import NexClient
@testable import Nexlet
import NexProtocol
import ProcessKit
import Synchronization
import Testing

// issue 14: limits
/// Memory, CPU and process limits per workload, enforced with cgroups; real processes, as root.
@Suite struct NativeLimitsRequestTests {
    static func parse(_ limits: String) -> String? {
        do {
            _ = try NativeStartRequest(parsing: #"{"uri":"file:///bin/true","limits":\#(limits)}"#)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func limitsAreParsed() throws {
        let request = try NativeStartRequest(parsing: #"{"uri":"file:///bin/true","limits":{"memory":"64MiB","cpu":0.5,"pids":64}}"#)
        #expect(request.limits == WorkloadLimits(memory: ByteSize(bytes: 64 << 20), cpu: 0.5, pids: 64))
        #expect(try NativeStartRequest(parsing: #"{"uri":"file:///bin/true"}"#).limits.isEmpty)
        #expect(try NativeStartRequest(parsing: #"{"uri":"file:///bin/true","limits":null}"#).limits.isEmpty)
    }

    @Test func badLimitsNameTheKeyAndValue() {
        let memory = Self.parse(#"{"memory":"lots"}"#) ?? ""
        #expect(memory.contains("limits.memory") && memory.contains("\"lots\""), "\(memory)")
        let cpu = Self.parse(#"{"cpu":-1}"#) ?? ""
        #expect(cpu.contains("limits.cpu"), "\(cpu)")
        let tiny = Self.parse(#"{"cpu":0.001}"#) ?? ""
        #expect(tiny.contains("limits.cpu") && tiny.contains("0.001"), "\(tiny)")
        let pids = Self.parse(#"{"pids":0}"#) ?? ""
        #expect(pids.contains("limits.pids"), "\(pids)")
        let misspelt = Self.parse(#"{"mem":"64MiB"}"#) ?? ""
        #expect(misspelt.contains("limits.mem"), "\(misspelt)")
        let notObject = Self.parse(#""64MiB""#) ?? ""
        #expect(notObject.contains("\"limits\" must be an object"), "\(notObject)")
        // Positive control: the same keys with good values parse.
        #expect(Self.parse(#"{"memory":"1GiB","cpu":2,"pids":10}"#) == nil)
    }

    @Test func theSchemaDescribesLimits() throws {
        let schema = try JSONSchema(string: NativeStartRequestSchema.text)
        let good = try JSONValue(parsing: Data(#"{"uri":"file:///x","limits":{"memory":"64MiB","cpu":0.5,"pids":64}}"#.utf8))
        let bytes = try JSONValue(parsing: Data(#"{"uri":"file:///x","limits":{"memory":67108864}}"#.utf8))
        let misspelt = try JSONValue(parsing: Data(#"{"uri":"file:///x","limits":{"mem":"64MiB"}}"#.utf8))
        let zero = try JSONValue(parsing: Data(#"{"uri":"file:///x","limits":{"pids":0}}"#.utf8))
        #expect(schema.isValid(good))
        #expect(schema.isValid(bytes))
        #expect(!schema.isValid(misspelt))
        #expect(!schema.isValid(zero))
    }
}

/// Whether this host lets the tests make cgroups (root and a hierarchy; CI and the dev machines have v1).
let cgroupsUsable: Bool = {
    if case .success = CgroupHost.detect() { return true }
    return false
}()

@Suite(.enabled(if: cgroupsUsable, "cgroup limits need root and a cgroup hierarchy"), .serialized)
struct NativeLimitsTests {
    /// The workload's cgroup directory for `controller` (v1) or its only one (v2).
    static func directory(_ harness: NativeHarness, _ id: String, _ controller: String) throws -> String {
        let group = try #require(harness.nexlet.state.withLock { $0.workloads[id]?.cgroup })
        switch group.version {
        case .v1(let map): return try #require(map[controller])
        case .v2(let directory): return directory
        }
    }

    static func read(_ path: String) -> String {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func aWorkloadPastItsMemoryLimitIsKilledAndReportedOutOfMemory() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.restartPolicy = RestartPolicy(initialDelay: .milliseconds(100), maximumRestarts: 1) }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let events = try await EventLog(user)
            let logs = try await LogCapture(user, namespace: "user")
            // Touches 256 MiB, four times its limit.
            let hog = try harness.script("hog", """
                echo allocating
                exec python3 -c 'import time; b = bytearray(b"x") * (256 << 20); print("survived", flush=True); time.sleep(30)'
                """)
            let limits: [String: Any] = ["limits": ["memory": "48MiB"]]
            let job = try await user.deploy(nativeRequest(name: "hog-job", lifecycle: .job, runRequest: runRequest(uri: "file://\(hog)", limits))).response
            let stopped = try await events.waitForStopped(job.id, timeout: .seconds(30))
            let error = try #require(stopped.error)
            #expect(error.message.contains("out of memory"), "\(error.message)")
            #expect(error.message.contains("48MiB"), "\(error.message)")
            #expect(error.code == "137")
            #expect(!logs.text(job.id).contains("survived"))

            // A service: killed, reported in its metadata (info), restarted as the policy says.
            let service = try await user.deploy(nativeRequest(name: "hog-service", runRequest: runRequest(uri: "file://\(hog)", limits))).response
            try await eventually("the service's OOM kill in its metadata", timeout: .seconds(30)) {
                let summary = try await user.listWorkloads(filter: [service.id]).get().all.first
                return summary?.metadata?["last_exit"] == "out of memory"
            }
            let summary = try #require(try await user.listWorkloads(filter: [service.id]).get().all.first)
            #expect(Int(summary.metadata?["oom_kills"] ?? "") ?? 0 >= 1)
            #expect(summary.metadata?["limits"] == "memory=48MiB")
            let gaveUp = try await events.waitForStopped(service.id, timeout: .seconds(30))
            #expect(gaveUp.error?.message.contains("gave up") == true && gaveUp.error?.message.contains("out of memory") == true, "\(String(describing: gaveUp.error))")

            // A child killed for memory while the main process lives on is counted too (no exit to report).
            let parent = try harness.script("parent", "python3 -c 'b = bytearray(b\"x\") * (256 << 20)'; echo child-gone; exec sleep 1000")
            let survivor = try await user.deploy(nativeRequest(name: "parent", runRequest: runRequest(uri: "file://\(parent)", limits))).response
            try await logs.waitFor("child-gone", in: survivor.id, timeout: .seconds(30))
            let counted = try #require(try await user.listWorkloads(filter: [survivor.id]).get().all.first)
            #expect(counted.metadata?["oom_kills"] == "1", "\(String(describing: counted.metadata))")
            #expect(counted.metadata?["last_exit"] == nil)
            _ = try await user.stopWorkload(id: survivor.id)

            // Positive control: the same program with room enough runs.
            let roomy = try await user.deploy(nativeRequest(name: "roomy", runRequest: runRequest(uri: "file://\(hog)", ["limits": ["memory": "1GiB"]]))).response
            try await logs.waitFor("survived", in: roomy.id, timeout: .seconds(30))
            _ = try await user.stopWorkload(id: roomy.id)
        }
    }

    @Test func aPidsLimitStopsAForkBombAndEverythingIsCleanedUp() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            // A fork bomb: every process forks without end (a refused fork is retried after a pause, where a
            // shell would give up), and every child leaves the process group with setsid, as an escape attempt.
            let bomb = try harness.script("bomb", """
                exec python3 -c '
                import os, time
                print("armed", flush=True)
                refused = 0
                while True:
                    try:
                        if os.fork() == 0:
                            os.setsid()
                            refused = 0
                    except OSError:
                        refused += 1
                        if refused == 1:
                            print("refused", flush=True)
                        time.sleep(0.05)
                '
                """)
            let deployed = try await user.deploy(nativeRequest(name: "bomb", runRequest: runRequest(
                uri: "file://\(bomb)", ["limits": ["pids": 16, "cpu": 0.2]]))).response
            try await logs.waitFor("armed", in: deployed.id)
            let pids = try Self.directory(harness, deployed.id, "pids")
            #expect(Self.read("\(pids)/pids.max") == "16")
            // The kernel refuses the 17th process: wait until a fork has been refused.
            try await logs.waitFor("refused", in: deployed.id, timeout: .seconds(30))
            #expect(Self.read("\(pids)/pids.events").split(separator: "\n").contains { $0.hasPrefix("max ") && $0 != "max 0" })
            let current = Int(Self.read("\(pids)/pids.current")) ?? .max
            #expect(current <= 16)
            if Self.exists("\(pids)/pids.peak") { #expect((Int(Self.read("\(pids)/pids.peak")) ?? .max) <= 16) }
            let members = WorkloadCgroup.processIDs(in: pids)
            #expect(members.count > 1 && members.count <= 16, "\(members)")

            // The nexlet and node stay healthy: another workload starts and answers.
            let hello = try harness.script("hello", "echo hello-from-neighbour; exec sleep 1000")
            let neighbour = try await user.deploy(nativeRequest(name: "neighbour", runRequest: runRequest(uri: "file://\(hello)"))).response
            try await logs.waitFor("hello-from-neighbour", in: neighbour.id)

            _ = try await user.stopWorkload(id: deployed.id)
            // Stop returns once the cgroup is gone, which the kernel allows only when no process is left in it.
            #expect(!Self.exists(pids))
            for pid in members { #expect(kill(pid, 0) != 0 || !Self.read("/proc/\(pid)/cgroup").contains(deployed.id)) }
            _ = try await user.stopWorkload(id: neighbour.id)
        }
    }

    @Test func functionInvocationsRunInsideTheFunctionsCgroup() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let show = try harness.script("show", "cat /proc/self/cgroup")
            let deployed = try await user.deploy(nativeRequest(name: "fn", lifecycle: .function, runRequest: runRequest(
                uri: "file://\(show)", ["limits": ["pids": 8]]))).response
            let pids = try Self.directory(harness, deployed.id, "pids")
            #expect(Self.read("\(pids)/pids.max") == "8")
            let reply = try await harness.connection.request("user.\(deployed.id)", payload: Data(), timeout: .seconds(10))
            #expect(String(decoding: reply.payload, as: UTF8.self).contains("/\(deployed.id)"))
            _ = try await user.stopWorkload(id: deployed.id)
            #expect(!Self.exists(pids))
        }
    }

    @Test func aCPULimitIsWrittenAndHonoured() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let spin = try harness.script("spin", "echo spinning; while :; do :; done")
            let deployed = try await user.deploy(nativeRequest(name: "spin", runRequest: runRequest(
                uri: "file://\(spin)", ["limits": ["cpu": 0.1]]))).response
            try await logs.waitFor("spinning", in: deployed.id)
            let cpu = try Self.directory(harness, deployed.id, "cpu")
            switch try #require(harness.nexlet.state.withLock { $0.workloads[deployed.id]?.cgroup }).version {
            case .v1:
                #expect(Self.read("\(cpu)/cpu.cfs_quota_us") == "10000")
                #expect(Self.read("\(cpu)/cpu.cfs_period_us") == "100000")
            case .v2:
                #expect(Self.read("\(cpu)/cpu.max") == "10000 100000")
            }
            // Honoured: the kernel throttles the spinning loop.
            try await eventually("the workload throttled", timeout: .seconds(20)) {
                let stat = Self.read("\(cpu)/cpu.stat")
                return stat.split(separator: "\n").contains { $0.hasPrefix("nr_throttled ") && $0 != "nr_throttled 0" }
            }
            try await eventually("CPU time in its metadata", timeout: .seconds(20)) {
                let summary = try await user.listWorkloads(filter: [deployed.id]).get().all.first
                return (Double(summary?.metadata?["cpu_seconds"] ?? "") ?? 0) > 0
            }
            _ = try await user.stopWorkload(id: deployed.id)
            #expect(!Self.exists(cpu))
        }
    }

    @Test(.enabled(if: ProcessSandbox.isAvailable, "sandboxing needs root"))
    func aWorkloadCannotRaiseItsLimitsOrLeaveItsCgroup() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            // Written for both layouts: v1 paths per controller, v2 one directory.
            let attack = try harness.script("escape", """
                try() { if sh -c "$1" >/dev/null 2>&1; then echo allowed; else echo denied; fi; }
                if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
                  own=/sys/fs/cgroup$(grep '^0::' /proc/self/cgroup | cut -d: -f3)
                  pids=$own; memory=$own; memfile=memory.max; top=/sys/fs/cgroup
                else
                  pids=/sys/fs/cgroup/pids$(grep ':pids:' /proc/self/cgroup | cut -d: -f3)
                  memory=/sys/fs/cgroup/memory$(grep ':memory:' /proc/self/cgroup | cut -d: -f3)
                  memfile=memory.limit_in_bytes; top=/sys/fs/cgroup/pids
                fi
                echo "inside=$(case "$pids" in *nex.*) echo yes;; *) echo no;; esac)"
                echo "raise_pids=$(try "echo 100000 > $pids/pids.max")"
                echo "raise_memory=$(try "echo 1073741824 > $memory/$memfile")"
                echo "leave=$(try "echo $$ > $top/cgroup.procs")"
                echo "parent=$(try "echo $$ > $pids/../cgroup.procs")"
                echo "subgroup=$(try "mkdir $pids/mine")"
                echo "pids_max=$(cat $pids/pids.max)"
                echo done
                exec sleep 1000
                """)
            let deployed = try await user.deploy(nativeRequest(name: "escape", runRequest: runRequest(
                uri: "file://\(attack)", ["limits": ["pids": 32, "memory": "64MiB"]]))).response
            let report = NativeEnvironmentTests.variables(try await logs.waitFor("done", in: deployed.id))
            #expect(report["inside"] == "yes")
            #expect(report["raise_pids"] == "denied")
            #expect(report["raise_memory"] == "denied")
            #expect(report["leave"] == "denied")
            #expect(report["parent"] == "denied")
            #expect(report["subgroup"] == "denied")
            #expect(report["pids_max"] == "32")
            // Positive control: the nexlet's user (root) may write the file the workload could not.
            let pids = try Self.directory(harness, deployed.id, "pids")
            #expect((try? CgroupFile.write("\(pids)/pids.max", "32")) != nil)
            // The workload is still inside its cgroup.
            let pid = try #require(harness.nexlet.processID(of: deployed.id))
            #expect(WorkloadCgroup.processIDs(in: pids).contains(pid))
            _ = try await user.stopWorkload(id: deployed.id)
            #expect(!Self.exists(pids))
        }
    }

    @Test func usageShowsInInfoListAndTheMetricsFeed() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.metricsInterval = .milliseconds(200) }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let metrics = Recorder<(subject: String, body: String)>()
            let observer = try await NatsConnection.connect(NatsConnectOptions(servers: [harness.server.url], name: "metrics"))
            teardown.add { await observer.close() }
            let subscription = try observer.subscribe(NexSubscription.metrics(namespace: "user")) { message in
                metrics.append((message.subject, String(decoding: message.payload, as: UTF8.self)))
            }
            teardown.add { subscription.unsubscribe() }
            try await observer.flush()
            let busy = try harness.script("busy", "echo up; exec sleep 1000")
            let limited = try await user.deploy(nativeRequest(name: "limited", runRequest: runRequest(
                uri: "file://\(busy)", ["limits": ["memory": "64MiB", "pids": 8]]))).response
            let plain = try await user.deploy(nativeRequest(name: "plain", runRequest: runRequest(uri: "file://\(busy)"))).response
            try await logs.waitFor("up", in: limited.id)
            try await logs.waitFor("up", in: plain.id)

            let listed = try await user.listWorkloads().get().all
            let limitedSummary = try #require(listed.first { $0.id == limited.id })
            let plainSummary = try #require(listed.first { $0.id == plain.id })
            for summary in [limitedSummary, plainSummary] {
                let metadata = summary.metadata ?? [:]
                #expect(Double(metadata["cpu_seconds"] ?? "") != nil, "\(metadata)")
                #expect((Int64(metadata["memory_bytes"] ?? "") ?? 0) > 0, "\(metadata)")
                #expect(metadata["memory"] != nil)
                #expect((Int(metadata["processes"] ?? "") ?? 0) >= 1, "\(metadata)")
            }
            #expect(limitedSummary.metadata?["limits"] == "memory=64MiB pids=8")
            #expect(limitedSummary.metadata?["oom_kills"] == "0")
            #expect(plainSummary.metadata?["limits"] == nil)

            try await eventually("metrics of both workloads", timeout: .seconds(10)) {
                let subjects = Set(metrics.all.map(\.subject))
                return subjects.contains(NexSubject.metrics(namespace: "user", workloadID: limited.id))
                    && subjects.contains(NexSubject.metrics(namespace: "user", workloadID: plain.id))
            }
            let sample = try #require(metrics.all.last { $0.subject.hasSuffix(limited.id) })
            guard case .object(let fields) = try JSONValue(parsing: Data(sample.body.utf8)) else {
                Issue.record("metrics are not a JSON object: \(sample.body)")
                return
            }
            #expect(fields["workload_id"] == .string(limited.id))
            #expect(fields["namespace"] == .string("user"))
            #expect(fields["source"] == .string("cgroup"))
            #expect((fields["memory_bytes"]?.doubleValue ?? 0) > 0)
            #expect(fields["cpu_seconds"]?.doubleValue != nil)
            #expect(fields["limits"] == WorkloadLimits(memory: ByteSize(bytes: 64 << 20), pids: 8).json)
            let plainSample = try #require(metrics.all.last { $0.subject.hasSuffix(plain.id) })
            #expect(plainSample.body.contains(#""source":"proc""#), "\(plainSample.body)")
        }
    }

    @Test func limitsAreRefusedWhereTheyCannotBeEnforced() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.useCgroups = false }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let marker = harness.directory.appendingPathComponent("ran").path
            let program = try harness.script("marker", "touch \(marker); echo ran; exec sleep 1000")
            do {
                _ = try await user.deploy(nativeRequest(name: "limited", runRequest: runRequest(
                    uri: "file://\(program)", ["limits": ["memory": "64MiB"]])))
                Issue.record("a workload with limits started where they cannot be enforced")
            } catch {
                #expect("\(error)".contains("cannot enforce the workload's limits"), "\(error)")
            }
            #expect(!Self.exists(marker))
            #expect(try await user.listWorkloads().get().all.isEmpty)
            // Positive control: without limits it runs.
            let plain = try await user.deploy(nativeRequest(name: "plain", runRequest: runRequest(uri: "file://\(program)"))).response
            try await logs.waitFor("ran", in: plain.id)
        }
    }

    @Test func cgroupsLeftByACrashedRunAreRemoved() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start { $0.stopWorkloadsOnDetach = false }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let program = try harness.script("lingering", "echo up; exec sleep 1000")
            let deployed = try await user.deploy(nativeRequest(name: "lingering", runRequest: runRequest(
                uri: "file://\(program)", ["limits": ["pids": 4]]))).response
            try await logs.waitFor("up", in: deployed.id)
            let pids = try Self.directory(harness, deployed.id, "pids")
            let pid = try #require(harness.nexlet.processID(of: deployed.id))
            harness.nexlet.simulateCrash()
            #expect(Self.exists(pids))

            // The next nexlet of the same state directory cleans up: the process inside is killed, the group removed.
            let successor = try NativeNexlet(options: NativeHarness.options(directory: harness.directory))
            // Positive control: a nexlet of another state directory leaves it alone.
            let stranger = try NativeNexlet(options: NativeHarness.options(directory: harness.directory.appendingPathComponent("other")))
            await stranger.removeOrphanCgroups()
            #expect(Self.exists(pids))
            await successor.removeOrphanCgroups()
            #expect(!Self.exists(pids))
            await successor.removeCgroupParents()
            #expect(!Self.exists((pids as NSString).deletingLastPathComponent))
            try await eventually("the orphan gone") { !Self.read("/proc/\(pid)/cgroup").contains(deployed.id) }
        }
    }
}
