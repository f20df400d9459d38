import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol

/// Real workloads (`/bin/sleep 3600` through the native nexlet of one `nex node up` process with kv state):
/// deploy latency and throughput, list latency, memory, restart replay and stop latency.
enum WorkloadBench {
    struct DeployFigures: Encodable {
        var deploys: Int
        var p50_us: Double
        var p99_us: Double
        /// Sustained rate (full deploys through `NexClient.deploy`) with `concurrency` deploys in flight.
        var per_second: Double
        var concurrency: Int
        var sequential_per_second: Double
        var p50_over_spawn: Double
        /// The two halves of a sequential deploy: the auction, and ADEPLOY until the node's answer.
        var auction_p50_us: Double
        var start_p50_us: Double
    }

    struct QueryFigures: Encodable {
        var workloads: Int
        var p50_us: Double
        var p99_us: Double
    }

    struct ListFigures: Encodable {
        var workloads: Int
        var p50_us: Double
        var p99_us: Double
        /// The size of the listed summaries as JSON, and what one encode and one decode of them cost in this
        /// process (p50 of 10): the list crosses nexlet → node → client as JSON, so it pays this several times.
        var json_bytes: Int
        var json_encode_p50_us: Double
        var json_decode_p50_us: Double
    }

    struct ReplayFigures: Encodable {
        var workloads: Int
        /// From the restarted node's spawn until every workload is listed as running.
        var seconds: Double
        var raw_spawn_seconds: Double
        var ratio: Double
        /// How long the node took to shut down (it stops its workloads first).
        var shutdown_seconds: Double
    }

    struct MemoryFigures: Encodable {
        var idle_rss_kib: Int
        var loaded_rss_kib: Int
        var workloads: Int
        var kib_per_workload: Double
        /// The native nexlet runs inside the node process, so its RSS is part of the node's.
        var nexlet_embedded: Bool
        var nexlet_rss_kib: Int
    }

    struct Result: Encodable {
        var deploy: DeployFigures
        var stop: QueryFigures
        var workload_list: ListFigures
        var replay: ReplayFigures
        var memory: MemoryFigures
    }

    static let binary = "/bin/sleep"
    static let arguments = ["3600"]

    static func run(server: NATSServer, scratch: URL, workloads: Int, latencySamples: Int, listIterations: Int, spawn: RawSpawn.Result) async throws -> Result {
        let seed = try KeyPair.generate(.server).seed ?? ""
        let dataDirectory = scratch.appendingPathComponent("workload-node")
        let extra = ["--state", "kv", "--node-seed", seed]
        var (node, _) = try await NodeProcess.start(url: server.url, name: "workload-node", dataDirectory: dataDirectory, extra: extra)
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "bench-workload-client"))
        defer { Task { await connection.close() } }
        let user = try NexClient(connection: connection, namespace: "user")
        try await AuctionBench.waitForFullAuctions(user, count: 1)

        // Idle memory: let the node settle a moment first.
        try await Task.sleep(for: .seconds(1))
        let idle = Memory.rssKiB(pid: node.pid) ?? 0

        // Deploy latency: one at a time.
        var samples: [Int64] = []
        var auctionSamples: [Int64] = []
        var startSamples: [Int64] = []
        let sequentialStart = ContinuousClock.now
        for index in 0..<latencySamples {
            // What NexClient.deploy does, timed in two parts.
            let begin = ContinuousClock.now
            let auction = try await user.auction(agentType: "native")
            let auctioned = ContinuousClock.now
            guard let bid = auction.bids.randomElement() else { throw BenchError("no bid for deploy \(index)") }
            _ = try await user.startWorkload(request(index), bid: bid)
            let end = ContinuousClock.now
            samples.append((end - begin).nanoseconds)
            auctionSamples.append((auctioned - begin).nanoseconds)
            startSamples.append((end - auctioned).nanoseconds)
        }
        let sequentialSeconds = Double((ContinuousClock.now - sequentialStart).nanoseconds) / 1e9
        // Throughput: the rest with several deploys in flight.
        let concurrency = 8
        let remaining = workloads - latencySamples
        let throughputStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = latencySamples
            for _ in 0..<concurrency {
                let first = next
                next += 1
                guard first < workloads else { break }
                group.addTask { _ = try await user.deploy(request(first)) }
            }
            while try await group.next() != nil {
                guard next < workloads else { continue }
                let index = next
                next += 1
                group.addTask { _ = try await user.deploy(request(index)) }
            }
        }
        let throughputSeconds = Double((ContinuousClock.now - throughputStart).nanoseconds) / 1e9
        let deploySummary = LatencySummary(nanoseconds: samples)
        let deploy = DeployFigures(
            deploys: workloads, p50_us: deploySummary.p50_us, p99_us: deploySummary.p99_us,
            per_second: remaining > 0 ? Double(remaining) / throughputSeconds : 0, concurrency: concurrency,
            sequential_per_second: Double(latencySamples) / sequentialSeconds,
            p50_over_spawn: deploySummary.p50_us / spawn.p50_us,
            auction_p50_us: LatencySummary(nanoseconds: auctionSamples).p50_us,
            start_p50_us: LatencySummary(nanoseconds: startSamples).p50_us)

        // Everything must be running before the list and memory figures mean anything.
        try await waitForRunning(user, count: workloads, timeout: .seconds(120))
        try await Task.sleep(for: .seconds(1))
        let loaded = Memory.rssKiB(pid: node.pid) ?? 0
        let memory = MemoryFigures(
            idle_rss_kib: idle, loaded_rss_kib: loaded, workloads: workloads,
            kib_per_workload: Double(loaded - idle) / Double(workloads), nexlet_embedded: true, nexlet_rss_kib: loaded)

        var listSamples: [Int64] = []
        for _ in 0..<listIterations {
            let begin = ContinuousClock.now
            _ = try await user.listWorkloads()
            listSamples.append((ContinuousClock.now - begin).nanoseconds)
        }
        let listSummary = LatencySummary(nanoseconds: listSamples)
        let summaries = try await user.listWorkloads().value.all
        var encodeSamples: [Int64] = []
        var decodeSamples: [Int64] = []
        var bytes = 0
        for _ in 0..<10 {
            let begin = ContinuousClock.now
            let data = try GoJSON.encode(summaries)
            let encoded = ContinuousClock.now
            _ = try GoJSON.decode([WorkloadSummary].self, from: data)
            decodeSamples.append((ContinuousClock.now - encoded).nanoseconds)
            encodeSamples.append((encoded - begin).nanoseconds)
            bytes = data.count
        }
        let list = ListFigures(
            workloads: workloads, p50_us: listSummary.p50_us, p99_us: listSummary.p99_us, json_bytes: bytes,
            json_encode_p50_us: LatencySummary(nanoseconds: encodeSamples).p50_us,
            json_decode_p50_us: LatencySummary(nanoseconds: decodeSamples).p50_us)

        // Restart: a clean shutdown stops the processes; the new node (same id, same kv bucket) replays them.
        let shutdownStart = ContinuousClock.now
        await node.stop(timeout: .seconds(300))
        let shutdownSeconds = Double((ContinuousClock.now - shutdownStart).nanoseconds) / 1e9
        // The nexlet announces every replayed workload (WORKLOADSTARTED, sent once its process runs): the
        // clock stops at the last announcement, and one listing then confirms that all of them run. (Polling
        // the list instead would load the node with listings of up to 1,000 workloads while it replays.)
        let started = try connection.subscribe(NexSubject.event(from: "user", name: .workloadStarted), buffering: .unbounded)
        try await connection.flush()
        let replayStart = ContinuousClock.now
        (node, _) = try await NodeProcess.start(url: server.url, name: "workload-node", dataDirectory: dataDirectory, extra: extra)
        let replayed = try await withDeadline(.seconds(300), "replay of \(workloads) workloads") {
            var ids = Set<String>()
            for await message in started {
                if let event = try? GoJSON.decode(WorkloadStartedEvent.self, from: message.payload) { ids.insert(event.id) }
                if ids.count >= workloads { break }
            }
            return ContinuousClock.now
        }
        started.unsubscribe()
        let replaySeconds = Double((replayed - replayStart).nanoseconds) / 1e9
        try await waitForRunning(user, count: workloads, timeout: .seconds(60))
        let replay = ReplayFigures(
            workloads: workloads, seconds: replaySeconds, raw_spawn_seconds: spawn.total_seconds,
            ratio: replaySeconds / spawn.total_seconds, shutdown_seconds: shutdownSeconds)

        // Stop latency, one at a time.
        let ids = try await user.listWorkloads().value.all.map(\.id)
        var stopSamples: [Int64] = []
        for id in ids.prefix(latencySamples) {
            let begin = ContinuousClock.now
            let answer = try await user.stopWorkload(id: id)
            stopSamples.append((ContinuousClock.now - begin).nanoseconds)
            guard answer.stopped else { throw BenchError("workload \(id) was not stopped: \(answer.message)") }
        }
        let stopSummary = LatencySummary(nanoseconds: stopSamples)
        let stop = QueryFigures(workloads: workloads, p50_us: stopSummary.p50_us, p99_us: stopSummary.p99_us)
        await node.stop(timeout: .seconds(300))
        return Result(deploy: deploy, stop: stop, workload_list: list, replay: replay, memory: memory)
    }

    static func request(_ index: Int) -> StartWorkloadRequest {
        let runRequest = #"{"uri":"file://\#(binary)","argv":["\#(arguments.joined(separator: "\",\""))"]}"#
        return StartWorkloadRequest(name: "sleep-\(index)", namespace: "user", workloadType: "native", runRequest: runRequest)
    }

    /// Waits until `count` workloads are listed as running.
    static func waitForRunning(_ user: NexClient, count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var seen = 0
        while ContinuousClock.now < deadline {
            let begin = ContinuousClock.now
            if let listing = try? await user.listWorkloads() {
                seen = listing.value.all.filter { $0.workloadState == .running }.count
                if seen >= count { return }
            }
            // A listing of many workloads costs the node real work: poll at most a third of the time.
            try await Task.sleep(for: max(.milliseconds(20), (ContinuousClock.now - begin) * 2))
        }
        throw BenchError("only \(seen) of \(count) workloads running after \(timeout)")
    }
}
