import Foundation
import Logging
import Nexlet
import NATSTestSupport
import NexNode
import NexNodeHTTP
import NexProtocol
import ProcessKit
import Testing

/// Metrics of the node that follow real native workloads (issue 14).
@Suite struct NativeMetricsTests {
    @Test func aServiceThatCrashesAndIsRestartedMovesTheRestartCounter() async throws {
        try await withTeardown { teardown in
            let metrics = NodeMetricsRegistry()
            let harness = try await NativeHarness.start(metrics: metrics) {
                $0.restartPolicy = RestartPolicy(initialDelay: .milliseconds(200), multiplier: 1, maximumDelay: .seconds(1), maximumRestarts: 5)
            }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let runs = harness.directory.appendingPathComponent("runs").path
            // Crashes on its first two runs, then stays up.
            let flaky = try harness.script("flaky", #"n=$(cat "$RUNS" 2>/dev/null | wc -l); echo run >> "$RUNS"; [ "$n" -ge 2 ] && exec sleep 600; exit 3"#)
            let deployed = try await user.deploy(
                nativeRequest(name: "flaky", runRequest: runRequest(uri: "file://\(flaky)", environment: ["RUNS": runs])))
            try await eventually("two restarts counted", timeout: .seconds(20), poll: .milliseconds(50)) {
                let text = String(decoding: await metrics.exposition(of: harness.node), as: UTF8.self)
                return text.contains(#"nex_workload_restarts_total{namespace="user",type="native"} 2"#)
            }
            let text = String(decoding: await metrics.exposition(of: harness.node), as: UTF8.self)
            #expect(text.contains(#"nex_workloads_running{namespace="user",type="native",lifecycle="service"} 1"#))
            #expect(try String(contentsOfFile: runs, encoding: .utf8).split(separator: "\n").count == 3)
            #expect(!text.contains(deployed.response.id))
        }
    }

    /// Sandboxed workloads share the host's loopback: the endpoint refuses sockets owned by workload uids, since
    /// its metrics name other tenants' namespaces. Positive control: the node's own user reads it.
    @Test(.enabled(if: getuid() == 0, "the sandbox (a uid per workload) needs root"))
    func aSandboxedWorkloadIsRefusedByTheEndpoint() async throws {
        try await withTeardown { teardown in
            let metrics = NodeMetricsRegistry()
            let harness = try await NativeHarness.start(metrics: metrics)
            teardown.add { await harness.stop() }
            var logger = Logger(label: "http")
            logger.logLevel = .error
            let http = NodeHTTPService(node: harness.node, address: try NodeHTTPAddress(parsing: "127.0.0.1:0"), metrics: metrics,
                                       logger: logger, refusingUIDs: NativeNexletOptions.defaultWorkloadUIDRange)
            let serving = Task { try await http.run() }
            teardown.add {
                serving.cancel()
                _ = try? await serving.value
            }
            let port = try #require(await http.waitUntilListening())
            let user = try harness.client()
            // A tenant's workload is deployed, so the metrics do name its namespace.
            let out = harness.directory.appendingPathComponent("scraped").path
            let scraper = try harness.script("scraper", #"""
                exec /bin/bash -c 'exec 3<>/dev/tcp/127.0.0.1/$PORT; printf "GET /metrics HTTP/1.0\r\n\r\n" >&3; cat <&3 > "$OUT.tmp"; mv "$OUT.tmp" "$OUT"; exec sleep 600'
                """#)
            _ = try await user.deploy(nativeRequest(
                name: "scraper", runRequest: runRequest(uri: "file://\(scraper)", environment: ["PORT": "\(port)", "OUT": out])))
            try await eventually("the workload's answer", timeout: .seconds(20), poll: .milliseconds(50)) {
                FileManager.default.fileExists(atPath: out)
            }
            let answer = try String(contentsOfFile: out, encoding: .utf8)
            #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer)")
            #expect(!answer.contains("nex_"))
            let own = try await httpGet(port: Int(port), path: "/metrics")
            #expect(own.status == 200)
            #expect(own.body.contains(#"nex_workloads_running{namespace="user",type="native",lifecycle="service"} 1"#))
        }
    }
}
