import Foundation
import NexProtocol

// issue 14: node capacity
/// How much a node takes (`--max-workloads`, `--reserve-memory`, decisions.md §14). The node is **full** when
/// it runs (or is starting) `maxWorkloads` workloads, or when no memory is left for workloads: the host's memory
/// (the smaller of `/proc/meminfo`'s MemTotal and the node's cgroup memory limit) minus the reserve minus the sum
/// of the `limits.memory` of the workloads it holds. A workload without a memory limit counts 0 here (the node
/// cannot know what it will use; a namespace memory quota refuses such workloads instead).
struct NodeCapacity: Sendable {
    /// nil = no bound on the count.
    let maxWorkloads: Int?
    /// Bytes for workloads' memory limits (host memory minus the reserve, at least 0); nil when the host's memory
    /// is unknown.
    let memoryForWorkloads: Int64?
    let hostMemory: Int64?
    let reserve: Int64

    init(maxWorkloads: Int, reserveMemory: ByteSize?, hostMemory: ByteSize?) {
        self.maxWorkloads = maxWorkloads > 0 ? maxWorkloads : nil
        let reserve = reserveMemory?.bytes ?? 0
        let host = hostMemory?.bytes ?? Self.detectHostMemory()
        self.reserve = reserve
        self.hostMemory = host
        memoryForWorkloads = host.map { max(0, $0 - reserve) }
    }

    /// Why the node takes no more workloads (the auction's decline reason), or nil.
    func fullReason(nodeName: String, holding count: Int, memoryInLimits: Int64) -> String? {
        if let maxWorkloads, count >= maxWorkloads {
            return "node \(nodeName) is full: \(count) of at most \(maxWorkloads) workloads"
        }
        if let memoryForWorkloads, memoryInLimits >= memoryForWorkloads {
            return "node \(nodeName) is full: no memory left for workloads (\(memoryText(inLimits: memoryInLimits)))"
        }
        return nil
    }

    /// Why the node cannot take one more workload asking `memory` bytes (nil = no limit), or nil.
    func admissionProblem(nodeName: String, holding count: Int, memoryInLimits: Int64, memory: Int64?) -> String? {
        if let maxWorkloads, count >= maxWorkloads {
            return "node \(nodeName) is full: \(count) of at most \(maxWorkloads) workloads"
        }
        if let memoryForWorkloads {
            let asked = memory ?? 0
            if memoryInLimits >= memoryForWorkloads || memoryInLimits + asked > memoryForWorkloads {
                let left = max(0, memoryForWorkloads - memoryInLimits)
                return "node \(nodeName) is full: the workload asks \(ByteSize(bytes: asked)) of memory, \(ByteSize(bytes: left)) is left for workloads (\(memoryText(inLimits: memoryInLimits)))"
            }
        }
        return nil
    }

    private func memoryText(inLimits: Int64) -> String {
        "\(ByteSize(bytes: hostMemory ?? 0)) on the host, \(ByteSize(bytes: reserve)) reserved, \(ByteSize(bytes: inLimits)) in workload limits"
    }

    /// The smaller of MemTotal and the memory limit of the process's cgroup (v2 `memory.max`, v1
    /// `memory.limit_in_bytes`); nil when neither can be read.
    static func detectHostMemory() -> Int64? {
        var candidates: [Int64] = []
        if let meminfo = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int64(fields[1]) { candidates.append(kilobytes * 1024) }
        }
        if let limit = cgroupMemoryLimit() { candidates.append(limit) }
        return candidates.min()
    }

    private static func cgroupMemoryLimit() -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
        var files: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(parts[2])
            if parts[0] == "0" && parts[1].isEmpty {
                files += ["/sys/fs/cgroup\(path)/memory.max", "/sys/fs/cgroup/memory.max"]
            } else if parts[1].split(separator: ",").contains("memory") {
                files += ["/sys/fs/cgroup/memory\(path)/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]
            }
        }
        for file in files {
            guard let value = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            // "max" (v2) or a page-rounded Int64.max (v1) mean no limit.
            if let bytes = Int64(trimmed), bytes < Int64(1) << 60 { return bytes }
            if trimmed == "max" || Int64(trimmed) != nil { return nil }
        }
        return nil
    }
}
