import Foundation
import NATSTestSupport
import Testing

// issue 14: quotas per namespace
/// `nex quota set|ls|rm` against a real nats-server, and quotas enforced by real `nex node up` processes with the
/// native nexlet: a refused `workload start` exits 1 naming the quota, and the usage of a SIGKILLed node expires.
@Suite("nex quota", .serialized)
struct CLIQuotaTests {
    static func quotas(_ sandbox: CLISandbox, _ url: String) async throws -> [String: [String: Any]] {
        let list = try await sandbox.run(["quota", "ls", "--json", "-s", url])
        #expect(list.status == 0, "\(list)")
        return try #require(try list.json() as? [String: [String: Any]], "\(list)")
    }

    @Test("set, ls and rm with --json; bad input is a usage error naming the flag and nothing changes")
    func setListRemove() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let empty = try await sandbox.run(["quota", "ls", "-s", server.url])
        #expect(empty.status == 0 && empty.stdout.contains("No quotas or usage in nexus nexus"), "\(empty)")

        let set = try await sandbox.run(["quota", "set", "acme", "--max-workloads", "5", "--max-memory", "2GiB", "--max-cpu", "4", "-s", server.url])
        #expect(set.status == 0, "\(set)")
        #expect(set.stdout.contains("Quota of namespace acme set: 5 workloads, 2GiB memory, 4 cores"), "\(set)")
        let small = try await sandbox.run(["quota", "set", "tiny", "--max-workloads", "0", "-s", server.url, "--json"])
        #expect(small.status == 0, "\(small)")
        #expect((try small.json() as? [String: [String: Any]])?["tiny"]?["max_workloads"] as? Int == 0, "\(small)")

        var listed = try await Self.quotas(sandbox, server.url)
        #expect(listed.keys.sorted() == ["acme", "tiny"])
        let acme = try #require(listed["acme"])
        let quota = try #require(acme["quota"] as? [String: Any])
        #expect(quota["max_workloads"] as? Int == 5)
        #expect(quota["max_memory"] as? Int == 2 << 30)
        #expect(quota["max_cpu"] as? Double == 4)
        let used = try #require(acme["used"] as? [String: Any])
        #expect(used["workloads"] as? Int == 0 && used["memory"] as? Int == 0)
        #expect((listed["tiny"]?["quota"] as? [String: Any])?["max_memory"] is NSNull)
        let table = try await sandbox.run(["quota", "ls", "-s", server.url])
        #expect(table.status == 0 && table.stdout.contains("acme") && table.stdout.contains("0 / 5") && table.stdout.contains("0B / 2GiB"), "\(table)")

        let bad: [([String], String)] = [
            (["quota", "set", "acme", "--max-workloads", "-1"], #"--max-workloads must be a whole number of 0 or more, got "-1""#),
            (["quota", "set", "acme", "--max-workloads", "many"], #"--max-workloads must be a whole number of 0 or more, got "many""#),
            (["quota", "set", "acme", "--max-workloads", "1", "--max-memory", "lots"], #"--max-memory: "lots" is not a size"#),
            (["quota", "set", "acme", "--max-workloads", "1", "--max-cpu", "0"], #"--max-cpu must be a positive number of cores such as 4 or 0.5, got "0""#),
            (["quota", "set", "a.b", "--max-workloads", "1"], #"invalid namespace "a.b""#),
            (["quota", "set", "acme", "--max-workloads", "1", "--namespace", "acme"], #""quota set" works in the system namespace only"#),
            (["quota", "rm", "acme", "--namespace", "acme"], #""quota rm" works in the system namespace only"#),
        ]
        for (arguments, message) in bad {
            let result = try await sandbox.run(arguments + ["-s", server.url])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(message), "\(result)")
        }
        let missing = try await sandbox.run(["quota", "rm", "nobody", "-s", server.url])
        #expect(missing.status == 1, "\(missing)")
        #expect(missing.stderrLines.count == 1 && missing.stderr.contains("namespace nobody has no quota in nexus nexus"), "\(missing)")
        listed = try await Self.quotas(sandbox, server.url)
        #expect((listed["acme"]?["quota"] as? [String: Any])?["max_workloads"] as? Int == 5, "bad input changed nothing")

        let removed = try await sandbox.run(["quota", "rm", "acme", "-s", server.url])
        #expect(removed.status == 0 && removed.stdout.contains("Quota of namespace acme removed"), "\(removed)")
        #expect(try await Self.quotas(sandbox, server.url).keys.sorted() == ["tiny"])
    }

    @Test("node up enforces the quota: workload start exits 1 naming it; the usage of a killed node expires")
    func enforcedByNodesAndReleasedAfterAKill() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        // A service that ends by itself, so the process the killed node leaves behind goes away soon.
        let script = try sandbox.write("napper.sh", "#!/bin/sh\nexec sleep 20\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let request = #"{"uri":"file://\#(script.path)"}"#
        func node(_ name: String) throws -> CLIProcess {
            try sandbox.start(["node", "up", "-s", server.url, "--node-name", name, "--tags", "slot=\(name)", "--state", "kv",
                               "--quota-lease-ttl", "3s", "--data-dir", sandbox.dataHome.appendingPathComponent(name).path])
        }
        let nodeA = try node("a")
        defer { nodeA.kill() }
        let idA = try await nodeA.waitForOutput(#"is ready: id (N[A-Z0-9]{55})"#)
        let nodeB = try node("b")
        defer { nodeB.kill() }
        _ = try await nodeB.waitForOutput("is ready")

        let set = try await sandbox.run(["quota", "set", "acme", "--max-workloads", "1", "-s", server.url])
        #expect(set.status == 0, "\(set)")
        let first = try await sandbox.run(["workload", "start", "--name", "nap", "--start-request", request, "--tags", "slot=a", "--namespace", "acme", "-s", server.url])
        #expect(first.status == 0, "\(first)")
        let refused = try await sandbox.run(["workload", "start", "--name", "nap", "--start-request", request, "--namespace", "acme", "-s", server.url])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderrLines.count == 1 && refused.stderr.contains("namespace acme is at its quota: 1 of 1 workloads"), "\(refused)")
        // Nothing of the refused deploy is stored (node a holds the one workload; b holds none).
        let stored = try await sandbox.run(["state", "list", idA, "--json", "-s", server.url])
        #expect(stored.status == 0, "\(stored)")
        #expect((try stored.json() as? [String: Any])?.count == 1, "\(stored)")
        let usage = try await Self.quotas(sandbox, server.url)
        #expect((usage["acme"]?["used"] as? [String: Any])?["workloads"] as? Int == 1, "\(usage)")

        // SIGKILL node a: it releases nothing; node b expires its lease within the lease TTL and a sweep.
        nodeA.signal(SIGKILL)
        _ = await nodeA.waitForExit(timeout: .seconds(10))
        try await eventually("node b expires the killed node's lease", timeout: .seconds(30), poll: .milliseconds(500)) {
            let listed = try await Self.quotas(sandbox, server.url)
            return (listed["acme"]?["used"] as? [String: Any])?["workloads"] as? Int == 0
        }
        let again = try await sandbox.run(["workload", "start", "--name", "nap", "--start-request", request, "--tags", "slot=b", "--namespace", "acme", "-s", server.url])
        #expect(again.status == 0, "\(again)")
    }
}
