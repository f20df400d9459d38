import CoreMetrics
import Foundation
import OffPool
import Synchronization

/// Names of the process figures (`/proc/self`), next to the node's own (``NexNode/NodeMetricName``).
public enum ProcessMetricName {
    /// Counter: user and system CPU time of the process, in seconds.
    public static let cpuSeconds = "nex_process_cpu_seconds_total"
    /// Gauge: resident memory of the process, in bytes.
    public static let residentMemory = "nex_process_resident_memory_bytes"
    /// Gauge: open file descriptors of the process.
    public static let openFDs = "nex_process_open_fds"

    public static let help: [String: String] = [
        cpuSeconds: "User and system CPU time of the node's process, in seconds.",
        residentMemory: "Resident memory of the node's process, in bytes.",
        openFDs: "Open file descriptors of the node's process.",
    ]
}

/// CPU seconds, resident memory and open descriptors of this process, read from `/proc/self` before each scrape
/// (on the blocking queue: it is file work). Where `/proc` is missing the series stay at 0.
final class ProcessMetrics: Sendable {
    private let cpu: FloatingPointCounter
    private let resident: Gauge
    private let fds: Gauge
    /// The CPU seconds already counted (the counter only moves forward by what was added since).
    private let counted = Mutex<Double>(0)

    init(factory: any MetricsFactory) {
        cpu = FloatingPointCounter(label: ProcessMetricName.cpuSeconds, factory: factory)
        resident = Gauge(label: ProcessMetricName.residentMemory, factory: factory)
        fds = Gauge(label: ProcessMetricName.openFDs, factory: factory)
    }

    struct Reading: Sendable {
        var cpuSeconds: Double?
        var residentBytes: Int?
        var openFDs: Int?
    }

    func refresh() async {
        let reading = await Blocking.value { Self.read() }
        if let seconds = reading.cpuSeconds {
            let delta = counted.withLock { counted -> Double in
                let delta = seconds - counted
                if delta > 0 { counted = seconds }
                return delta
            }
            if delta > 0 { cpu.increment(by: delta) }
        }
        if let bytes = reading.residentBytes { resident.record(bytes) }
        if let open = reading.openFDs { fds.record(open) }
    }

    static func read() -> Reading {
        var reading = Reading()
        // /proc/self/stat: the fields after the command (which may hold spaces and parentheses) start with the
        // state (field 3); utime and stime are fields 14 and 15, in clock ticks.
        if let stat = ProcFile.read("/proc/self/stat"),
           let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]), ticks > 0 {
                reading.cpuSeconds = (user + system) / ticks
            }
        }
        // /proc/self/statm: size resident shared … in pages.
        if let statm = ProcFile.read("/proc/self/statm") {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Int(fields[1]) {
                reading.residentBytes = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
            }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            reading.openFDs = entries.count
        }
        return reading
    }
}
