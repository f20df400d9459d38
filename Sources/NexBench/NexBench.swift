import Foundation
import NATSTestSupport

/// `nex-bench`: measures nex against baselines taken in the same run and prints one JSON document.
/// Usage: `swift run -c release nex-bench [--quick] [--iterations N]`.
@main
struct NexBench {
    struct Machine: Encodable {
        var cores: Int
        var memory_gib: Double
        var os: String
    }

    struct Baseline: Encodable {
        var nats_rtt_p50_us: Double
    }

    struct Report: Encodable {
        var machine: Machine
        var baseline: Baseline
        var request_reply: RoundTripResult
        var auction: [ControlPlaneBench.AuctionFigures]
        var deploy: ControlPlaneBench.DeployFigures
        var node_list: ControlPlaneBench.QueryFigures
        var node_info: ControlPlaneBench.QueryFigures
    }

    static func main() async {
        let arguments = CommandLine.arguments.dropFirst()
        let quick = arguments.contains("--quick")
        var iterations = quick ? 4000 : 20000
        if let index = arguments.firstIndex(of: "--iterations"), arguments.index(after: index) < arguments.endIndex,
           let value = Int(arguments[arguments.index(after: index)]), value > 0 {
            iterations = value
        }
        do {
            let server = try await NATSServer.start()
            let roundTrip = try await RoundTrip.measure(server: server, iterations: iterations)
            let control = try await ControlPlaneBench.run(
                server: server, nodeCounts: quick ? [1, 3] : [1, 3, 10], iterations: quick ? 200 : 1000,
                rttP50: roundTrip.raw_nats_c.p50_us)
            await server.stop()
            let info = ProcessInfo.processInfo
            let report = Report(
                machine: Machine(cores: info.activeProcessorCount, memory_gib: Double(info.physicalMemory) / 1_073_741_824, os: info.operatingSystemVersionString),
                baseline: Baseline(nats_rtt_p50_us: roundTrip.raw_nats_c.p50_us),
                request_reply: roundTrip, auction: control.auction, deploy: control.deploy,
                node_list: control.node_list, node_info: control.node_info)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("nex-bench: \(error)\n".utf8))
            exit(1)
        }
    }
}
