import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// The operator's whole day with the built `nex`: a node with the embedded native nexlet, a Nexfile deploy of
/// a real process, list, logs, clone, stop and lameduck — all through the command line.
@Suite("nex end to end", .serialized)
struct CLIEndToEndTests {
    private static let readyPattern = #"is ready: id (N[A-Z0-9]{55})"#
    private static let startedPattern = #"\[([0-9A-Za-z]{22})\] started"#

    /// The first capture group of `pattern` in `text`.
    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    @Test("node up, workload start -f Nexfile, list, logs, clone, stop, lameduck")
    func operatorFlow() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let script = try sandbox.write("ticker.sh", """
        #!/bin/sh
        echo "ticker $GREETING started"
        while true; do echo "tick"; sleep 0.2; done
        """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let nexfile = try sandbox.write("Nexfile", """
        name: ticker
        description: prints ticks
        type: native
        lifecycle: service
        start_request:
          uri: "file://\(script.path)"
          environment:
            GREETING: hello
        """)

        let node = try sandbox.start(["node", "up", "-s", server.url, "--node-name", "e2e", "--data-dir", sandbox.dataHome.appendingPathComponent("nex").path])
        defer { node.kill() }
        let nodeID = try await node.waitForOutput(Self.readyPattern)
        #expect(nodeID.hasPrefix("N"))

        let started = try await sandbox.run(["workload", "start", "-f", nexfile.path, "--namespace", "user", "-s", server.url])
        #expect(started.status == 0, "\(started)")
        let id = try #require(Self.capture(Self.startedPattern, in: started.stdout), "\(started)")

        let list = try await sandbox.run(["workload", "list", "--json", "--namespace", "user", "-s", server.url])
        #expect(list.status == 0, "\(list)")
        let perNode = try #require(try list.json() as? [[[String: Any]]], "\(list)")
        let summary = try #require(perNode.flatMap { $0 }.first { $0["id"] as? String == id }, "\(list)")
        #expect(summary["name"] as? String == "ticker")
        #expect(summary["namespace"] as? String == "user")

        // The (sealed) environment reached the process, and its output reaches the logs feed.
        let logs = try sandbox.start(["workload", "logs", id, "--follow", "--namespace", "user", "-s", server.url])
        defer { logs.kill() }
        _ = try await logs.waitForOutput("tick")
        let early = try await sandbox.run(["workload", "logs", id, "--namespace", "user", "-s", server.url, "--quiet-period", "1s"])
        #expect(early.status == 0, "\(early)")

        let cloned = try await sandbox.run(["workload", "clone", id, "--namespace", "user", "-s", server.url])
        #expect(cloned.status == 0, "\(cloned)")
        let cloneID = try #require(Self.capture(Self.startedPattern, in: cloned.stdout), "\(cloned)")
        #expect(cloneID != id)

        let stopped = try await sandbox.run(["workload", "stop", id, "--namespace", "user", "-s", server.url])
        #expect(stopped.status == 0, "\(stopped)")
        let after = try await sandbox.run(["workload", "list", "--json", "--namespace", "user", "-s", server.url])
        let remaining = (try after.json() as? [[[String: Any]]] ?? []).flatMap { $0 }.compactMap { $0["id"] as? String }
        #expect(remaining == [cloneID], "\(after)")

        // Lameduck drains the node: it exits by itself with status 0 and the clone's process is gone.
        let lameduck = try await sandbox.run(["node", "lameduck", nodeID, "--delay", "1s", "-s", server.url])
        #expect(lameduck.status == 0, "\(lameduck)")
        let status = await node.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "node exited with \(String(describing: status)); stderr: \(node.stderr.suffix(2000))")
    }

    // issue 14: limits
    @Test(
        "workload start --memory --pids: info shows the limits and what the workload uses, list its metadata",
        .enabled(if: geteuid() == 0 && (FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids/cgroup.procs")
            || FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers")), "limits need root and cgroups"))
    func limitsAndUsage() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let script = try sandbox.write("idle.sh", "#!/bin/sh\necho idle\nexec sleep 1000\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let node = try sandbox.start(["node", "up", "-s", server.url, "--node-name", "limits", "--data-dir", sandbox.dataHome.appendingPathComponent("nex").path])
        defer { node.kill() }
        _ = try await node.waitForOutput(Self.readyPattern)
        let started = try await sandbox.run([
            "workload", "start", "--name", "idle", "--start-request", #"{"uri":"file://\#(script.path)"}"#, "--memory", "64MiB",
            "--pids", "16", "--namespace", "user", "-s", server.url,
        ])
        #expect(started.status == 0, "\(started)")
        let id = try #require(Self.capture(Self.startedPattern, in: started.stdout), "\(started)")
        let info = try await sandbox.run(["workload", "info", id, "--namespace", "user", "-s", server.url])
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.contains("memory=64MiB pids=16"), "\(info)")
        #expect(info.stdout.contains("Memory"), "\(info)")
        #expect(info.stdout.contains("CPU"), "\(info)")
        let list = try await sandbox.run(["workload", "list", "--show-metadata", "--namespace", "user", "-s", server.url])
        #expect(list.stdout.contains("cpu_seconds"), "\(list)")
        #expect(list.stdout.contains("memory_bytes"), "\(list)")
        let stopped = try await sandbox.run(["workload", "stop", id, "--namespace", "user", "-s", server.url])
        #expect(stopped.status == 0, "\(stopped)")
        // A graceful shutdown also removes the nexlet's (now empty) cgroup parent.
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: .seconds(30)) == 0, "\(node.stderr.suffix(2000))")
    }
}
