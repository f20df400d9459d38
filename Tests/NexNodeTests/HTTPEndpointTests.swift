import Foundation
import Logging
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexNodeHTTP
import NexProtocol
import ServiceLifecycle
import Testing

/// The node's HTTP endpoint (issue 14): /healthz, /readyz and /metrics against a real nats-server and a real node.
@Suite struct HTTPEndpointTests {
    static func request(_ name: String, namespace: String = "user", lifecycle: WorkloadLifecycle = .service) -> StartWorkloadRequest {
        StartWorkloadRequest(name: name, namespace: namespace, workloadType: "inmem", workloadLifecycle: lifecycle, runRequest: "{}")
    }

    @Test func healthzAndReadyzAnswerAndUnknownPathsAreNotFound() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown)
            let health = try await http.get("/healthz")
            #expect(health.status == 200)
            #expect(health.body == "ok\n")
            let ready = try await http.readiness()
            #expect(ready.status == 200)
            #expect(ready.ready)
            #expect(ready.notReady.isEmpty)
            #expect(Set(ready.checks.keys) == ["lifecycle", "nats", "control_plane", "agents", "state"])
            #expect(ready.checks["agents"]?["detail"] as? String == "1 of 1 configured agents registered")
            #expect(ready.checks["state"]?["detail"] as? String == "answers")
            #expect(try await http.get("/nothing").status == 404)
            let metrics = try await http.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        }
    }

    @Test func readinessFollowsTheLossAndReturnOfNATS() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown)
            #expect(try await http.readiness().ready)
            let before = try await http.scrape()
            #expect(before.value("nex_nats_connected") == 1)

            await http.server.stop()
            try await eventually("not ready without NATS", timeout: .seconds(20), poll: .milliseconds(50)) {
                let answer = try await http.readiness()
                return answer.status == 503 && answer.notReady.contains("nats")
            }
            let down = try await http.readiness()
            #expect(down.checks["nats"]?["detail"] as? String == "not connected")
            #expect(down.notReady.contains("state"))
            // Liveness is not readiness: the process still serves.
            #expect(try await http.get("/healthz").status == 200)
            let during = try await http.scrape()
            #expect(during.value("nex_nats_connected") == 0)
            #expect(during.count("nex_nats_disconnects_total") >= 1)

            try await http.server.relaunch()
            try await eventually("ready again after NATS came back", timeout: .seconds(30), poll: .milliseconds(100)) {
                try await http.readiness().status == 200
            }
            let after = try await http.scrape()
            #expect(after.value("nex_nats_connected") == 1)
            #expect(after.count("nex_nats_reconnects_total") >= 1)
        }
    }

    @Test func lameduckIsNotReady() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown)
            #expect(try await http.readiness().status == 200)
            let reply = try await http.client.request(
                NexSubject.lameduck(namespace: "system", nodeID: http.node.id), payload: try GoJSON.encode(LameduckRequest(delay: .seconds(60))),
                timeout: .seconds(5))
            #expect(reply.nexError == nil)
            try await eventually("not ready in lameduck", timeout: .seconds(10), poll: .milliseconds(20)) {
                let answer = try await http.readiness()
                return answer.status == 503 && answer.notReady == ["lifecycle"]
            }
            #expect(try await http.readiness().checks["lifecycle"]?["detail"] as? String == "lameduck")
            let exposition = try await http.scrape()
            #expect(exposition.value("nex_node_state", ["state": "lameduck"]) == 1)
            #expect(exposition.value("nex_node_state", ["state": "running"]) == 0)
        }
    }

    /// In the order of `node up`'s group (endpoint before node): while the node drains, the endpoint still
    /// answers, and says "not ready".
    @Test func aStoppingNodeIsNotReadyWhileItDrains() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            teardown.add { await server.stop() }
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "node"))
            teardown.add { await connection.close() }
            let metrics = NodeMetricsRegistry()
            var options = NodeOptions()
            options.minter = FullAccessMinter(servers: [server.url])
            options.logger.logLevel = .error
            options.metricsFactory = metrics.factory
            let nexlet = InMemoryNexlet()
            options.embed(nexlet)
            let node = try NexNode(connection: connection, options: options)
            var logger = Logger(label: "group")
            logger.logLevel = .error
            let http = NodeHTTPService(node: node, address: try NodeHTTPAddress(parsing: "127.0.0.1:0"), metrics: metrics, logger: logger)
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [
                .init(service: http),
                .init(service: node, successTerminationBehavior: .gracefullyShutdownGroup),
            ], logger: logger))
            let running = Task { try await group.run() }
            teardown.add {
                running.cancel()
                _ = try? await running.value
            }
            let port = try #require(await http.waitUntilListening())
            try await eventually("ready", timeout: .seconds(15), poll: .milliseconds(20)) {
                (try? await httpGet(port: Int(port), path: "/readyz"))?.status == 200
            }
            // A deploy in flight (its start takes 2 s) keeps the stopping node draining that long.
            let clientConnection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "client"))
            teardown.add { await clientConnection.close() }
            let client = try NexClient(connection: clientConnection, namespace: "user")
            nexlet.setStartDelay(.seconds(2))
            let deploying = Task { try await client.deploy(Self.request("slow-to-start")) }
            try await eventually("the start began", timeout: .seconds(10)) { nexlet.counters.startsBegun == 1 }

            await group.triggerGracefulShutdown()
            try await eventually("not ready while stopping", timeout: .seconds(10), poll: .milliseconds(10)) {
                guard let reply = try? await httpGet(port: Int(port), path: "/readyz") else { return false }
                return reply.status == 503 && reply.body.contains(#""detail":"stopping""#)
            }
            try await withDeadline(.seconds(30), "group stops") { try await running.value }
            // The deploy in flight finished during the drain.
            _ = try await deploying.value
            // Once the group is done, nothing listens any more.
            await #expect(throws: HTTPGetError.self) { _ = try await httpGet(port: Int(port), path: "/healthz", timeout: .seconds(2)) }
        }
    }

    @Test func aFullNodeCountsItsDeclinesAndRefusals() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown) { $0.maxWorkloads = 1 }
            let client = try NexClient(connection: http.client, namespace: "user")
            // Two bids while the node is empty, then the second deploy finds it full (it raced past the auction).
            let first = try #require(try await client.auction(agentType: "inmem").bids.first)
            let second = try #require(try await client.auction(agentType: "inmem").bids.first)
            _ = try await client.startWorkload(Self.request("one"), bid: first)
            await #expect(throws: NexError.self) { _ = try await client.startWorkload(Self.request("two"), bid: second) }
            let auction = try await client.auction(agentType: "inmem")
            #expect(auction.bids.isEmpty)
            let metrics = try await http.scrape()
            #expect(metrics.count("nex_admission_refusals_total", ["namespace": "user", "reason": "node_full"]) == 1)
            #expect(metrics.count("nex_auction_declines_total", ["reason": "node_full"]) == 1)
            #expect(metrics.count("nex_deploys_total", ["result": "refused"]) == 1)
        }
    }

    @Test func everyMetricMovesWhenItsEventHappens() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown)
            let client = try NexClient(connection: http.client, namespace: "user")
            let start = try await http.scrape()
            #expect(start.value("nex_build_info", ["version": NexConstants.defaultVersion]) == 1)
            #expect(start.value("nex_agents", ["type": "inmem", "state": "healthy"]) == 1)
            #expect(start.value("nex_workloads_running", ["namespace": "user"]) == nil)
            #expect(start.count("nex_process_cpu_seconds_total") > 0)
            #expect(start.count("nex_process_resident_memory_bytes") > 1_000_000)
            #expect(start.count("nex_process_open_fds") > 3)

            // An auction with a bid and a deploy that is stored.
            let deployed = try await client.deploy(Self.request("one", lifecycle: .job))
            let afterDeploy = try await http.scrape()
            #expect(afterDeploy.count("nex_auctions_total") == start.count("nex_auctions_total") + 1)
            #expect(afterDeploy.count("nex_auction_bids_total") == start.count("nex_auction_bids_total") + 1)
            #expect(afterDeploy.count("nex_auction_duration_seconds_count") == start.count("nex_auction_duration_seconds_count") + 1)
            #expect(afterDeploy.count("nex_deploys_total", ["result": "ok"]) == 1)
            #expect(afterDeploy.count("nex_deploy_duration_seconds_count", ["result": "ok"]) == 1)
            #expect(afterDeploy.count("nex_kv_operations_total", ["operation": "save", "result": "ok"]) == 1)
            #expect(afterDeploy.count("nex_kv_operation_duration_seconds_count", ["operation": "save"]) == 1)
            #expect(afterDeploy.value("nex_workloads_running", ["namespace": "user", "type": "inmem", "lifecycle": "job"]) == 1)

            // Declines by reason class: no agent of the type, tags that do not match.
            _ = try await client.auction(agentType: "nosuchtype")
            _ = try await client.auction(agentType: "inmem", tags: ["zone": "nowhere"])
            let afterDeclines = try await http.scrape()
            #expect(afterDeclines.count("nex_auction_declines_total", ["reason": "no_agent"]) == 1)
            #expect(afterDeclines.count("nex_auction_declines_total", ["reason": "tags"]) == 1)
            #expect(afterDeclines.count("nex_auction_bids_total") == afterDeploy.count("nex_auction_bids_total"))
            #expect(afterDeclines.count("nex_auctions_total") == afterDeploy.count("nex_auctions_total") + 2)

            // A refused deploy (its bid was made for another type) is counted as refused, not ok.
            let auction = try await client.auction(agentType: "inmem")
            let bid = try #require(auction.bids.first)
            var wrongType = Self.request("wrong")
            wrongType.workloadType = "other"
            await #expect(throws: (any Error).self) { _ = try await client.startWorkload(wrongType, bid: bid) }
            let afterRefusal = try await http.scrape()
            #expect(afterRefusal.count("nex_deploys_total", ["result": "refused"]) == 1)
            #expect(afterRefusal.count("nex_deploys_total", ["result": "ok"]) == 1)

            // A workload restart: the nexlet announced the first start itself; a second WORKLOADSTARTED is a
            // restart. One for a workload this node does not hold, or from another namespace, is ignored.
            let events = try http.client.subscribe(NexSubject.event(from: "user", name: .workloadStarted))
            let second = try await client.deploy(Self.request("two"))
            try await withDeadline(.seconds(10), "the nexlet's WORKLOADSTARTED") {
                for await message in events {
                    if (try? GoJSON.decode(WorkloadStartedEvent.self, from: message.payload))?.id == second.response.id { return }
                }
            }
            events.unsubscribe()
            for (from, id) in [("user", "NOSUCHWORKLOAD"), ("other", second.response.id), ("user", second.response.id)] {
                let event = WorkloadStartedEvent(id: id, namespace: from, workloadType: "inmem")
                try http.client.publish(NexSubject.event(from: from, name: .workloadStarted), payload: try GoJSON.encode(event))
            }
            try await http.client.flush()
            try await eventually("restart counted", timeout: .seconds(10)) {
                try await http.scrape().count("nex_workload_restarts_total", ["namespace": "user", "type": "inmem"]) == 1
            }
            #expect(try await http.scrape().count("nex_workload_restarts_total", ["namespace": "other"]) == 0)

            // Stops: one that stops, and the gauge and the state follow.
            let stopped = try await client.stopWorkload(id: deployed.response.id)
            #expect(stopped.stopped)
            let afterStop = try await http.scrape()
            #expect(afterStop.count("nex_stops_total", ["result": "stopped"]) == 1)
            #expect(afterStop.value("nex_workloads_running", ["lifecycle": "job"]) == nil)
            #expect(afterStop.value("nex_workloads_running", ["namespace": "user", "lifecycle": "service"]) == 1)
            // The stop forgets the workload, and so may the nexlet's WORKLOADSTOPPED if it is confirmed first: one or
            // two removes of the same key (the second finds nothing).
            #expect(afterStop.count("nex_kv_operations_total", ["operation": "remove", "result": "ok"]) >= 1)
            #expect(afterStop.count("nex_kv_operations_total", ["operation": "remove", "result": "error"]) == 0)
            // Ids never become labels.
            #expect(!afterStop.text.contains(second.response.id))
            #expect(!afterStop.text.contains(http.node.id))
        }
    }

    @Test func agentRestartsAreCounted() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown, kvState: false) { options in
                options.agentRestartLimit = 3
                options.embeddedAgents = options.embeddedAgents.map { FailingFirstRunner(inner: $0, failures: 1) }
            }
            let exposition = try await http.scrape()
            #expect(exposition.count("nex_agent_restarts_total", ["origin": "embedded"]) == 1)
            #expect(exposition.count("nex_agent_restarts_total", ["origin": "local"]) == 0)
            // The restarted nexlet registered: the node is ready (no state store configured: it answers at once).
            let ready = try await http.readiness()
            #expect(ready.ready)
            #expect(ready.checks["state"]?["ok"] as? Bool == true)
        }
    }

    @Test func aNexletThatNeverRegistersKeepsTheNodeNotReady() async throws {
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown, kvState: false) { options in
                options.agentRestartLimit = 0
                options.embeddedAgents = options.embeddedAgents.map { FailingFirstRunner(inner: $0, failures: 1) }
            }
            let ready = try await http.readiness()
            #expect(ready.status == 503)
            #expect(ready.notReady == ["agents"])
            #expect(ready.checks["agents"]?["detail"] as? String == "0 of 1 configured agents registered")
        }
    }

    @Test func aPortInUseIsAWarningAndTheNodeRuns() async throws {
        try await withTeardown { teardown in
            let first = try await HTTPNode.start(teardown, kvState: false)
            let recorder = LogRecorder()
            let metrics = NodeMetricsRegistry()
            let second = NodeHTTPService(node: first.node, address: try NodeHTTPAddress(parsing: "127.0.0.1:\(first.port)"),
                                         metrics: metrics, logger: recorder.logger(label: "second", level: .info))
            let serving = Task { try await second.run() }
            teardown.add {
                serving.cancel()
                _ = try? await serving.value
            }
            #expect(await second.waitUntilListening() == nil)
            #expect(recorder.contains("cannot serve /healthz, /readyz and /metrics on 127.0.0.1:\(first.port) (Address already in use)"))
            // The service idles instead of ending (which would end a group), and the node and first endpoint run on.
            try await Task.sleep(for: .milliseconds(100))
            #expect(!serving.isCancelled)
            #expect(try await first.get("/healthz").status == 200)
            let auction = try await NexClient(connection: first.client, namespace: "user").auction(agentType: "inmem")
            #expect(auction.bids.count == 1)
        }
    }

    @Test func addressesParseOrNameTheProblem() throws {
        #expect(try NodeHTTPAddress(parsing: "127.0.0.1:9095").description == "127.0.0.1:9095")
        #expect(try NodeHTTPAddress(parsing: "localhost:80").host == "127.0.0.1")
        #expect(try NodeHTTPAddress(parsing: ":9095").host == "0.0.0.0")
        #expect(try NodeHTTPAddress(parsing: "[::1]:9095").family == .ipv6)
        #expect(NodeHTTPAddress.default.description == "127.0.0.1:9095")
        for bad in ["9095", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:-1", "example.com:80", "::1:80", "1.2.3:4", "[nope]:1", "127.0.0.1: 80"] {
            #expect(throws: NodeHTTPAddress.ParseError.self, "\(bad)") { _ = try NodeHTTPAddress(parsing: bad) }
        }
    }

    @Test func aRealPrometheusScrapesTheNode() async throws {
        guard let prometheus = Self.executable("prometheus"), let promtool = Self.executable("promtool") else {
            Issue.record("prometheus or promtool is not installed (scripts/setup.sh installs Debian's prometheus package)")
            return
        }
        try await withTeardown { teardown in
            let http = try await HTTPNode.start(teardown)
            // promtool lints the exposition (names, types, help).
            let exposition = try await http.get("/metrics").body
            let lint = try await Self.run(promtool, ["check", "metrics"], stdin: exposition)
            #expect(lint.status == 0, "promtool check metrics: \(lint.output)")

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            teardown.add { try? FileManager.default.removeItem(at: directory) }
            let config = directory.appendingPathComponent("prometheus.yml")
            try """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: nex
                    scrape_interval: 1s
                    static_configs:
                      - targets: ["127.0.0.1:\(http.port)"]
                """.write(to: config, atomically: true, encoding: .utf8)
            let check = try await Self.run(promtool, ["check", "config", config.path], stdin: nil)
            #expect(check.status == 0, "promtool check config: \(check.output)")

            let port = try freeLoopbackPort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: prometheus)
            process.arguments = [
                "--config.file=\(config.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)",
            ]
            let log = directory.appendingPathComponent("prometheus.log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            teardown.add {
                process.terminate()
                await Self.waitForExit(process)
            }

            try await eventually("prometheus shows the node's target up", timeout: .seconds(60), poll: .milliseconds(250)) {
                guard let reply = try? await httpGet(port: port, path: "/api/v1/targets"), reply.status == 200 else { return false }
                return reply.body.contains(#""health":"up""#) && reply.body.contains("127.0.0.1:\(http.port)")
            }
            try await eventually("prometheus holds a nex_ series", timeout: .seconds(60), poll: .milliseconds(250)) {
                guard let reply = try? await httpGet(port: port, path: "/api/v1/query?query=nex_build_info"), reply.status == 200 else { return false }
                return reply.body.contains(#""__name__":"nex_build_info""#) && reply.body.contains(#""version":"\#(NexConstants.defaultVersion)""#)
            }

            // Every query of the example Grafana dashboard is valid PromQL over these metrics (its variables
            // filled in): Prometheus evaluates each without an error.
            for query in try Self.dashboardQueries() {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                let encoded = try #require(query.addingPercentEncoding(withAllowedCharacters: allowed))
                let reply = try await httpGet(port: port, path: "/api/v1/query?query=\(encoded)")
                #expect(reply.status == 200 && reply.body.contains(#""status":"success""#), "\(query): \(reply.body)")
            }
        }
    }

    /// The `expr` of every panel of examples/grafana/nex-dashboard.json, with `$__rate_interval` as 1m and the
    /// `$job` and `$instance` variables as `.*`.
    static func dashboardQueries() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("examples/grafana/nex-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let queries = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(queries.count > 20)
        return queries.map {
            $0.replacingOccurrences(of: "$__rate_interval", with: "1m")
                .replacingOccurrences(of: "$instance", with: ".*").replacingOccurrences(of: "$job", with: ".*")
        }
    }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/sbin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], stdin: String?) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let reader = output.fileHandleForReading
        let text = try await withDeadline(.seconds(30), "\(executable) output") {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: String(decoding: reader.readDataToEndOfFile(), as: UTF8.self))
                }
            }
        }
        await waitForExit(process)
        return (process.terminationStatus, text)
    }

    static func waitForExit(_ process: Process) async {
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
