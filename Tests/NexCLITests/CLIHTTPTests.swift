import Foundation
import NATSTestSupport
import Testing

/// `nex node up --http-addr` (issue 14): the endpoint of a real `nex node up` process, turned off, and bad values.
@Suite struct CLIHTTPTests {
    static let ready = #"Node ".*" is ready: id (N[A-Z0-9]+)"#

    func startNode(_ sandbox: CLISandbox, server: NATSServer, http: [String]) async throws -> CLIProcess {
        let node = try sandbox.start(["node", "up", "-s", server.url, "--data-dir", sandbox.dataHome.appendingPathComponent("node").path] + http)
        _ = try await node.waitForOutput(Self.ready)
        return node
    }

    @Test func theNodeServesHealthReadinessAndMetricsOnItsAddress() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            let port = try freeLoopbackPort()
            let node = try await startNode(sandbox, server: server, http: ["--http-addr", "127.0.0.1:\(port)"])
            teardown.add { node.kill() }
            try await eventually("the endpoint answers", timeout: .seconds(15), poll: .milliseconds(50)) {
                (try? await httpGet(port: port, path: "/healthz"))?.status == 200
            }
            try await eventually("ready", timeout: .seconds(15), poll: .milliseconds(50)) {
                (try? await httpGet(port: port, path: "/readyz"))?.status == 200
            }
            let ready = try await httpGet(port: port, path: "/readyz")
            #expect(ready.body.contains(#""agents":{"detail":"1 of 1 configured agents registered","ok":true}"#))
            let metrics = try await httpGet(port: port, path: "/metrics")
            #expect(metrics.body.contains(#"nex_agents{type="native",state="healthy"} 1"#))
            #expect(metrics.body.contains("# HELP nex_build_info "))
            #expect(metrics.body.contains("nex_build_info{version="))
            #expect(listeningPorts(of: node.pid) == [port])

            node.signal(SIGTERM)
            #expect(await node.waitForExit(timeout: .seconds(30)) == 0)
            await #expect(throws: HTTPGetError.self) { _ = try await httpGet(port: port, path: "/healthz", timeout: .seconds(2)) }
        }
    }

    @Test func anEmptyAddressTurnsTheEndpointOff() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let sandbox = try CLISandbox()
            let node = try await startNode(sandbox, server: server, http: ["--http-addr", ""])
            teardown.add { node.kill() }
            // The node's process listens on nothing (nats-server runs apart); with an address it listens there
            // (the other test), so the check does see listeners.
            #expect(listeningPorts(of: node.pid) == [])
            #expect(!node.stderr.contains("HTTP endpoint") && !node.stdout.contains("HTTP endpoint"))
            node.signal(SIGTERM)
            #expect(await node.waitForExit(timeout: .seconds(30)) == 0)
        }
    }

    @Test func aPortInUseIsAWarningAndTheNodeStillStarts() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let first = try CLISandbox()
            let second = try CLISandbox()
            let port = try freeLoopbackPort()
            let holder = try await startNode(first, server: server, http: ["--http-addr", "127.0.0.1:\(port)", "--disable-native-start"])
            teardown.add { holder.kill() }
            try await eventually("the first endpoint answers", timeout: .seconds(15), poll: .milliseconds(50)) {
                (try? await httpGet(port: port, path: "/healthz"))?.status == 200
            }
            let node = try await startNode(second, server: server, http: ["--http-addr", "127.0.0.1:\(port)", "--disable-native-start"])
            teardown.add { node.kill() }
            // The node's log (stdout or stderr, by its logger settings) says so.
            let warning = "[WARN] cannot serve /healthz, /readyz and /metrics on 127.0.0.1:\(port) (Address already in use)"
            try await eventually("the warning", timeout: .seconds(15), poll: .milliseconds(50)) {
                node.stdout.contains(warning) || node.stderr.contains(warning)
            }
            // Still running, and the first node's endpoint is untouched.
            try await Task.sleep(for: .milliseconds(200))
            #expect(node.exitStatus == nil)
            #expect(try await httpGet(port: port, path: "/healthz").status == 200)
            node.signal(SIGTERM)
            #expect(await node.waitForExit(timeout: .seconds(30)) == 0)
        }
    }

    @Test func theSettingHasADefaultAndBadValuesNameTheirSource() async throws {
        let sandbox = try CLISandbox()
        let check = try await sandbox.run(["node", "up", "--check"])
        #expect(check.status == 0, "\(check)")
        let report = try #require(try check.json() as? [String: Any])
        #expect(report["http-addr"] as? String == "127.0.0.1:9095")
        #expect((report["_sources"] as? [String: String])?["http-addr"] == "default")

        let off = try await sandbox.run(["node", "up", "--http-addr", "", "--check"])
        #expect(off.status == 0, "\(off)")
        #expect((try off.json() as? [String: Any])?["http-addr"] as? String == "")

        let flag = try await sandbox.run(["node", "up", "--http-addr", "nowhere", "--check"])
        #expect(flag.status == 64, "\(flag)")
        #expect(flag.stderr.contains("--http-addr"), "\(flag)")
        #expect(flag.stderr.contains(#""nowhere" is not HOST:PORT"#), "\(flag)")

        let config = try sandbox.write("bad.json", #"{"http_addr": "127.0.0.1:70000"}"#)
        let file = try await sandbox.run(["node", "up", "--config", config.path, "--check"])
        #expect(file.status == 64, "\(file)")
        #expect(file.stderr.contains("http_addr") && file.stderr.contains(config.path), "\(file)")

        let environment = try await sandbox.run(["node", "up", "--check"], environment: ["NEX_HTTP_ADDR": "example.com:80"])
        #expect(environment.status == 64, "\(environment)")
        #expect(environment.stderr.contains("NEX_HTTP_ADDR"), "\(environment)")
    }
}

/// The TCP ports process `pid` itself listens on (its socket descriptors matched against `/proc/<pid>/net/tcp{,6}`
/// entries in state LISTEN).
func listeningPorts(of pid: Int32) -> [Int] {
    let fdDirectory = "/proc/\(pid)/fd"
    var inodes: Set<String> = []
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? [] {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fdDirectory)/\(entry)"),
           target.hasPrefix("socket:[") {
            inodes.insert(String(target.dropFirst("socket:[".count).dropLast()))
        }
    }
    var ports: [Int] = []
    for table in ["tcp", "tcp6"] {
        // Read to the end: procfs reports size 0, and `String(contentsOfFile:)` would stop after one page.
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/net/\(table)"),
              let data = try? handle.readToEnd() else { continue }
        try? handle.close()
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            guard fields.count > 9, fields[3] == "0A", inodes.contains(String(fields[9])),
                  let portText = fields[1].split(separator: ":").last, let port = Int(portText, radix: 16) else { continue }
            ports.append(port)
        }
    }
    return ports.sorted()
}
