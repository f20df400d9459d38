import Foundation
import NATSTestSupport

/// `nex-bench`: measures nex against baselines taken in the same run and prints one JSON document.
/// Usage: `swift run -c release nex-bench [--quick] [--cluster] [--iterations N] [--http-addr ADDR]` (build `nex` first:
/// `swift build -c release --product nex`; or point `NEX_BINARY` at one).
@main
struct NexBench {
    struct Machine: Encodable {
        var cores: Int
        var memory_gib: Double
        var os: String
        var cpu: String
    }

    struct Baseline: Encodable {
        var nats_rtt_p50_us: Double
        var spawn_p50_us: Double
    }

    struct Report: Encodable {
        var machine: Machine
        var quick: Bool
        var seconds: Double
        var baseline: Baseline
        var request_reply: RoundTripResult
        /// Id generation on one thread (no NATS involved).
        var nuid: NUIDBench.Figures
        /// What counting costs per event (the node's own metric calls; issue 14).
        var metrics: MetricsBench.Figures
        var raw_spawn: RawSpawn.Result
        var auction: [AuctionBench.Figures]
        var node_list: AuctionBench.QueryFigures?
        var node_info: AuctionBench.QueryFigures?
        /// With `--cluster`: auctions with nodes spread over a 3-server cluster.
        var auction_cluster: [AuctionBench.Figures]?
        var node_startup_p50_ms: Double
        var deploy: WorkloadBench.DeployFigures
        var stop: WorkloadBench.QueryFigures
        var workload_list: WorkloadBench.ListFigures
        var replay: WorkloadBench.ReplayFigures
        var memory: WorkloadBench.MemoryFigures
    }

    struct Settings {
        var quick: Bool
        var rttIterations: Int
        var nodeCounts: [Int]
        var auctionIterations: Int
        var workloads: Int
        var latencySamples: Int
        var listIterations: Int
        var nuids: Int
        var cluster: Bool
        /// `--auctions-only`: run the auction section alone and print its figures (for profiling a node).
        var auctionsOnly: Bool

        init(arguments: ArraySlice<String>) {
            auctionsOnly = arguments.contains("--auctions-only")
            quick = arguments.contains("--quick")
            cluster = arguments.contains("--cluster")
            rttIterations = quick ? 4000 : 20000
            nodeCounts = quick ? [1, 3] : [1, 3, 10, 50]
            auctionIterations = quick ? 200 : 1000
            workloads = quick ? 200 : 1000
            latencySamples = quick ? 100 : 200
            listIterations = quick ? 20 : 50
            nuids = quick ? 200_000 : 1_000_000
            if let value = Self.value(of: "--iterations", in: arguments).flatMap({ Int($0) }), value > 0 {
                rttIterations = value
            }
            if let value = Self.value(of: "--auction-iterations", in: arguments).flatMap({ Int($0) }), value > 0 {
                auctionIterations = value
            }
            if let value = Self.value(of: "--workloads", in: arguments).flatMap({ Int($0) }), value > 0 {
                workloads = value
            }
            if let value = Self.value(of: "--nodes", in: arguments) {
                let counts = value.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                if !counts.isEmpty { nodeCounts = counts }
            }
        }

        static func value(of option: String, in arguments: ArraySlice<String>) -> String? {
            guard let index = arguments.firstIndex(of: option), arguments.index(after: index) < arguments.endIndex else { return nil }
            return arguments[arguments.index(after: index)]
        }
    }

    static func main() async {
        let settings = Settings(arguments: CommandLine.arguments.dropFirst())
        let signals = trapSignals()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nex-bench-\(UUID().uuidString)")
        var server: NATSServer?
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            _ = try NodeProcess.executable()
            let started = try await NATSServer.start()
            server = started
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if settings.auctionsOnly {
                let auctions = try await AuctionBench.run(
                    urls: [started.url], scratch: scratch, nodeCounts: settings.nodeCounts,
                    iterations: settings.auctionIterations, rttP50: 1)
                print(String(decoding: try encoder.encode(auctions), as: UTF8.self))
            } else {
                let report = try await measure(settings, server: started, scratch: scratch)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
        } catch {
            FileHandle.standardError.write(Data("nex-bench: \(error)\n".utf8))
            NodeProcess.killAll()
            await server?.stop()
            try? FileManager.default.removeItem(at: scratch)
            exit(1)
        }
        NodeProcess.killAll()
        await server?.stop()
        try? FileManager.default.removeItem(at: scratch)
        withExtendedLifetime(signals) {}
    }

    static func measure(_ settings: Settings, server: NATSServer, scratch: URL) async throws -> Report {
        let begin = ContinuousClock.now
        progress("request/reply round trip")
        let roundTrip = try await RoundTrip.measure(server: server, iterations: settings.rttIterations)
        let rtt = roundTrip.raw_nats_c.p50_us
        progress("\(settings.nuids) NUIDs from one generator")
        let nuid = NUIDBench.measure(count: settings.nuids)
        progress("metrics: \(settings.nuids) counted events of each kind")
        let metrics = MetricsBench.measure(count: settings.nuids)
        progress("raw posix_spawn of \(WorkloadBench.binary) × \(settings.workloads)")
        let spawn = try RawSpawn.measure(path: WorkloadBench.binary, arguments: WorkloadBench.arguments, count: settings.workloads)
        progress("auctions with \(settings.nodeCounts) node processes")
        let auctions = try await AuctionBench.run(
            urls: [server.url], scratch: scratch, nodeCounts: settings.nodeCounts, iterations: settings.auctionIterations, rttP50: rtt)
        progress("\(settings.workloads) workloads on one node")
        let workloads = try await WorkloadBench.run(
            server: server, scratch: scratch, workloads: settings.workloads, latencySamples: settings.latencySamples,
            listIterations: settings.listIterations, spawn: spawn)
        var clusterAuctions: [AuctionBench.Figures]?
        if settings.cluster {
            progress("auctions with nodes spread over a 3-server cluster")
            let cluster = try await NATSCluster.start(size: 3, name: "nex-bench")
            do {
                clusterAuctions = try await AuctionBench.run(
                    urls: cluster.urls, scratch: scratch.appendingPathComponent("cluster"), nodeCounts: settings.nodeCounts.filter { $0 > 1 },
                    iterations: settings.auctionIterations, rttP50: rtt).auction
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
        let info = ProcessInfo.processInfo
        return Report(
            machine: Machine(cores: info.activeProcessorCount, memory_gib: Double(info.physicalMemory) / 1_073_741_824,
                             os: info.operatingSystemVersionString, cpu: Memory.cpuModel()),
            quick: settings.quick, seconds: Double((ContinuousClock.now - begin).nanoseconds) / 1e9,
            baseline: Baseline(nats_rtt_p50_us: rtt, spawn_p50_us: spawn.p50_us),
            request_reply: roundTrip, nuid: nuid, metrics: metrics, raw_spawn: spawn, auction: auctions.auction, node_list: auctions.node_list,
            node_info: auctions.node_info, auction_cluster: clusterAuctions, node_startup_p50_ms: auctions.node_startup_p50_ms, deploy: workloads.deploy,
            stop: workloads.stop, workload_list: workloads.workload_list, replay: workloads.replay, memory: workloads.memory)
    }

    /// A progress line on stderr (stdout carries only the JSON document).
    static func progress(_ text: String) {
        FileHandle.standardError.write(Data("nex-bench: \(text)\n".utf8))
    }

    /// SIGINT/SIGTERM kill every node process before exiting.
    static func trapSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                NodeProcess.killAll()
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
