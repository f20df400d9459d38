import Foundation
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
}
