import Foundation
import Minter
import NATSKit
import NATSTestSupport
import Testing

/// Logs with history (issue 14): real `nex node up` processes with the embedded native nexlet, real workload
/// processes, a real nats-server with JetStream, and the built `nex` reading `NEX_LOGS` / `NEX_EVENTS`.
@Suite("nex logs and events with history", .serialized)
struct CLILogHistoryTests {
    private static let readyPattern = #"is ready: id (N[A-Z0-9]{55})"#
    private static let startedPattern = #"\[([0-9A-Za-z]{22})\] started"#

    /// One `--json` line of `workload logs` / `node logs`.
    struct Line: Equatable {
        var stream: String
        var data: String
        var seq: Int
        var time: Date
    }

    static func lines(_ result: CLIResult) throws -> [Line] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try result.stdout.split(separator: "\n").map { text in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
            let timeText = try #require(object["time"] as? String, "\(text)")
            // ISO8601DateFormatter takes at most milliseconds: cut the nanoseconds.
            let trimmed = timeText.replacingOccurrences(of: #"(\.\d{3})\d*"#, with: "$1", options: .regularExpression)
            return Line(
                stream: try #require(object["stream"] as? String), data: try #require(object["data"] as? String),
                seq: try #require(object["seq"] as? Int), time: try #require(formatter.date(from: trimmed), "\(timeText)"))
        }
    }

    /// Polls `body` until it returns a value, failing after `timeout`.
    static func until<T: Sendable>(_ what: String, timeout: Duration = .seconds(30), _ body: @Sendable () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try await body() { return value }
            if ContinuousClock.now >= deadline { throw CLITestFailure("\(what) not reached within \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A node on `server` with the given extra flags; returns its id.
    static func startNode(_ sandbox: CLISandbox, _ server: NATSServer, _ extra: [String], teardown: Teardown) async throws -> String {
        let node = try sandbox.start(
            ["node", "up", "-s", server.url, "--node-name", "history", "--data-dir", sandbox.dataHome.appendingPathComponent("nex").path] + extra)
        teardown.add { node.kill() }
        return try await node.waitForOutput(readyPattern)
    }

    static func deploy(_ sandbox: CLISandbox, _ server: NATSServer, script: String, lifecycle: String) async throws -> String {
        let path = try sandbox.write("w-\(UUID().uuidString.prefix(8)).sh", "#!/bin/sh\n" + script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        let started = try await sandbox.run([
            "workload", "start", "--type", "native", "--name", "w", "--lifecycle", lifecycle,
            "--start-request", #"{"uri":"file://\#(path.path)"}"#, "--namespace", "team", "-s", server.url,
        ])
        #expect(started.status == 0, "\(started)")
        return try #require(CLIEndToEndTests.capture(startedPattern, in: started.stdout), "\(started)")
    }

    @Test("a job that printed and exited: --tail, the per-workload line limit, stderr, an unknown id")
    func jobThatExited() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            _ = try await Self.startNode(sandbox, server, ["--log-history-lines", "20"], teardown: teardown)
            let id = try await Self.deploy(sandbox, server, script: """
                i=1; while [ $i -le 30 ]; do echo "line $i"; i=$((i+1)); done
                echo "failed: disk full" >&2
                exit 3
                """, lifecycle: "job")
            // Read after the fact: the job has ended and is no longer listed, but its history is kept.
            try await eventually("the job's last line stored", timeout: .seconds(30), poll: .milliseconds(100)) {
                let read = try await sandbox.run(["workload", "logs", id, "--json", "--namespace", "team", "-s", server.url])
                return read.stdout.contains("failed: disk full") && read.stdout.contains("line 30")
            }
            try await eventually("the job ended", timeout: .seconds(30), poll: .milliseconds(100)) {
                let list = try await sandbox.run(["workload", "list", "--json", "--namespace", "team", "-s", server.url])
                return !list.stdout.contains(id)
            }
            let all = try Self.lines(try await sandbox.run(["workload", "logs", id, "--json", "--namespace", "team", "-s", server.url]))
            // The per-workload limit (20 per output stream) dropped lines 1…10; stderr has its own 20.
            #expect(all.filter { $0.stream == "stdout" }.map(\.data) == (11...30).map { "line \($0)\n" })
            #expect(all.filter { $0.stream == "stderr" }.map(\.data) == ["failed: disk full\n"])
            #expect(all.map(\.seq) == all.map(\.seq).sorted() && Set(all.map(\.seq)).count == all.count)

            let tail = try await sandbox.run(["workload", "logs", id, "--tail", "3", "--json", "--namespace", "team", "-s", server.url])
            #expect(tail.status == 0, "\(tail)")
            #expect(try Self.lines(tail).map(\.data) == ["line 29\n", "line 30\n", "failed: disk full\n"])
            // Text output keeps the streams apart.
            let text = try await sandbox.run(["workload", "logs", id, "--tail", "2", "--namespace", "team", "-s", server.url])
            #expect(text.stdout == "line 30\n")
            #expect(text.stderr == "failed: disk full\n")
            // The system namespace finds it without knowing its namespace.
            let admin = try await sandbox.run(["workload", "logs", id, "--tail", "1", "-s", server.url])
            #expect(admin.stderr == "failed: disk full\n", "\(admin)")
            // Another namespace does not see it; an unknown id is an error.
            let other = try await sandbox.run(["workload", "logs", id, "--namespace", "other", "-s", server.url])
            #expect(other.status == 1 && other.stdout.isEmpty, "\(other)")
            #expect(other.stderr.contains("no log history"), "\(other)")
        }
    }

    @Test("--since shows only the recent part")
    func since() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            _ = try await Self.startNode(sandbox, server, [], teardown: teardown)
            let trigger = sandbox.root.appendingPathComponent("go-on")
            let id = try await Self.deploy(sandbox, server, script: """
                echo early 1; echo early 2
                while [ ! -e \(trigger.path) ]; do sleep 0.05; done
                echo late 1; echo late 2
                exec sleep 600
                """, lifecycle: "service")
            let arguments = ["workload", "logs", id, "--json", "--namespace", "team", "-s", server.url]
            let early = try await Self.until("early lines stored") {
                let lines = try Self.lines(try await sandbox.run(arguments))
                return lines.count == 2 ? lines : nil
            }
            // Lines written 3 s apart. The command takes `now - since` as its cut when it starts, so the cut lies
            // between `before - since` and `after - since`: chosen so the early lines always fall before it.
            let lastEarly = try #require(early.last?.time)
            try await eventually("3 s passed", timeout: .seconds(10), poll: .milliseconds(50)) { Date() > lastEarly.addingTimeInterval(3) }
            #expect(FileManager.default.createFile(atPath: trigger.path, contents: nil))
            let all = try await Self.until("late lines stored") {
                let lines = try Self.lines(try await sandbox.run(arguments))
                return lines.count == 4 ? lines : nil
            }
            let before = Date()
            let since = before.timeIntervalSince(lastEarly) - 0.2
            let recent = try await sandbox.run(arguments + ["--since", String(format: "%.3fs", since)])
            let after = Date()
            #expect(recent.status == 0, "\(recent)")
            let shown = try Self.lines(recent)
            #expect(!shown.contains { $0.data.hasPrefix("early") }, "\(recent); all: \(all)")
            // Exactly the newest lines (a suffix), and every line stored after the latest possible cut.
            #expect(shown == Array(all.suffix(shown.count)), "\(recent); all: \(all)")
            let latestCut = after.addingTimeInterval(-since)
            #expect(shown.count >= all.filter { $0.time > latestCut }.count, "\(recent); all: \(all)")
            if after.timeIntervalSince(before) < 2.5 {
                // The usual case: the command started well before the late lines' time passed out of the window.
                #expect(shown.map(\.data) == ["late 1\n", "late 2\n"], "\(recent); all: \(all)")
            }
            let wide = try await sandbox.run(arguments + ["--since", "1h", "--tail", "3"])
            #expect(try Self.lines(wide).map(\.data) == ["early 2\n", "late 1\n", "late 2\n"])
        }
    }

    @Test("--follow continues after the history without a gap or a duplicate")
    func followWithoutGap() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            _ = try await Self.startNode(sandbox, server, [], teardown: teardown)
            let id = try await Self.deploy(sandbox, server, script: """
                i=1; while true; do echo "n $i"; i=$((i+1)); sleep 0.02; done
                """, lifecycle: "service")
            let arguments = ["workload", "logs", id, "--json", "--namespace", "team", "-s", server.url]
            try await eventually("some history", timeout: .seconds(30), poll: .milliseconds(100)) {
                try Self.lines(try await sandbox.run(arguments + ["--tail", "1"])).first.map { $0.data != "n 1\n" && $0.data != "n 2\n" } ?? false
            }
            let follower = try sandbox.start(arguments + ["--tail", "5", "--follow"])
            teardown.add { follower.kill() }
            let lines = try await Self.until("60 lines followed", timeout: .seconds(60)) { () -> [Line]? in
                if let status = follower.exitStatus { throw CLITestFailure("logs --follow exited (\(status)): \(follower.stderr)") }
                let output = follower.stdout
                let complete = output.split(separator: "\n", omittingEmptySubsequences: true)
                    .dropLast(output.hasSuffix("\n") ? 0 : 1).joined(separator: "\n")
                let lines = try Self.lines(CLIResult(arguments: [], status: 0, stdout: complete, stderr: ""))
                return lines.count >= 60 ? lines : nil
            }
            let numbers = lines.compactMap { Int($0.data.dropFirst(2).dropLast()) }
            let seqs = lines.map(\.seq)
            follower.signal(SIGINT)
            #expect(await follower.waitForExit(timeout: .seconds(10)) == 0)
            // The tail (5 lines of history), then live: consecutive numbers, increasing sequences.
            let first = try #require(numbers.first)
            #expect(first > 1)
            #expect(numbers == Array(first..<(first + numbers.count)), "\(numbers)")
            #expect(seqs == seqs.sorted() && Set(seqs).count == seqs.count)
        }
    }

    @Test("node logs and events come from their history; --tail and --since")
    func nodeLogsAndEvents() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            let nodeID = try await Self.startNode(sandbox, server, ["--logger.target", "std,nats", "--events", "nats"], teardown: teardown)
            let id = try await Self.deploy(sandbox, server, script: "echo hi\nexit 0\n", lifecycle: "job")

            let nodeLog = try await Self.until("the node's log has the deploy") {
                let read = try await sandbox.run(["node", "logs", nodeID, "--json", "-s", server.url])
                return read.stdout.contains(id) ? read : nil
            }
            #expect(nodeLog.status == 0, "\(nodeLog)")
            #expect(nodeLog.stdout.contains("nex node ready"), "\(nodeLog)")
            #expect(nodeLog.stdout.contains(#""node_id":"\#(nodeID)""#))
            let one = try await sandbox.run(["node", "logs", nodeID, "--tail", "1", "-s", server.url])
            #expect(one.status == 0 && one.stdout.split(separator: "\n").count + one.stderr.split(separator: "\n").count == 1, "\(one)")
            let notSystem = try await sandbox.run(["node", "logs", nodeID, "--namespace", "team", "-s", server.url])
            #expect(notSystem.status != 0, "\(notSystem)")

            let events = try await Self.until("the workload's events stored") {
                let read = try await sandbox.run(["events", "--since", "1h", "--json", "-s", server.url])
                return read.stdout.contains("WORKLOADSTOPPED") ? read : nil
            }
            #expect(events.status == 0, "\(events)")
            #expect(events.stdout.contains(#""name":"NODESTARTED""#), "\(events)")
            #expect(events.stdout.contains(#""name":"WORKLOADSTARTED""#), "\(events)")
            #expect(events.stdout.contains(#""time":""#))
            let last = try await sandbox.run(["events", "--tail", "1", "--json", "-s", server.url])
            #expect(last.stdout.split(separator: "\n").count == 1, "\(last)")
            // A tenant sees its namespace's workload events, not the node's.
            let team = try await sandbox.run(["events", "--since", "1h", "--json", "--namespace", "team", "-s", server.url])
            #expect(team.stdout.contains("WORKLOADSTARTED") && !team.stdout.contains("NODESTARTED"), "\(team)")
        }
    }

    @Test("bad --tail and --since are usage errors that name the flag")
    func badFlags() async throws {
        let sandbox = try CLISandbox()
        for (arguments, flag) in [
            (["workload", "logs", "W1", "--tail", "-1"], "--tail"), (["workload", "logs", "W1", "--tail=-1"], "--tail"),
            (["workload", "logs", "W1", "--tail", "many"], "--tail"), (["workload", "logs", "W1", "--since", "banana"], "--since"),
            (["workload", "logs", "W1", "--since", "-5m"], "--since"), (["events", "--since", "banana"], "--since"),
            (["node", "logs", "NAAA", "--tail", "-3"], "--tail"),
        ] {
            let result = try await sandbox.run(arguments + ["-s", "nats://127.0.0.1:1"])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(flag), "\(result)")
        }
        let environment = try await sandbox.run(["workload", "logs", "W1", "-s", "nats://127.0.0.1:1"], environment: ["NEX_TAIL": "-2"])
        #expect(environment.status == 64 && environment.stderr.contains("NEX_TAIL"), "\(environment)")
        let size = try await sandbox.run(["node", "up", "--log-history-max-bytes", "lots", "--check"])
        #expect(size.status == 64 && size.stderr.contains("--log-history-max-bytes"), "\(size)")
        let check = try await sandbox.run(["node", "up", "--log-history-max-bytes", "512MB", "--history-storage", "memory", "--check"])
        #expect(check.status == 0, "\(check)")
        let report = try #require(try check.json() as? [String: Any])
        #expect(report["log-history-max-bytes"] as? String == "500000KiB", "\(check)")
        #expect(report["history-storage"] as? String == "memory", "\(check)")
    }

    @Test("without JetStream the commands say so and show live output only")
    func withoutJetStream() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            let nodeID = try KeyPair.generate(.server).publicKey
            let result = try await sandbox.run(["node", "logs", nodeID, "--quiet-period", "200ms", "-s", server.url])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("no history") && result.stderr.contains("JetStream") && result.stderr.contains("live"), "\(result)")
        }
    }
}
