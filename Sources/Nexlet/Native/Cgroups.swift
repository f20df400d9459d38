import CProcessShim
import Foundation
import Glibc
import NexProtocol

// issue 14: limits

/// The cgroup hierarchy of this host and where this process sits in it: v2 (one unified tree) when
/// `/sys/fs/cgroup/cgroup.controllers` exists, else v1 (one mount per controller, found in `/proc/self/mountinfo`).
/// Workload cgroups are made inside the nexlet's own cgroup: `<own>/nex.<owner tag>/<workload id>` (per controller
/// in v1), so two nexlets never share (or clean up) each other's groups.
struct CgroupHost: Sendable, Equatable {
    enum Version: Sendable, Equatable {
        /// Controller name → the directory of this process's own cgroup in that controller's hierarchy.
        case v1([String: String])
        /// The directory of this process's own cgroup in the unified hierarchy.
        case v2(String)
    }

    let version: Version

    /// The controllers workload cgroups use (v1 names; v2 has `cpu` for both cpu and cpuacct).
    static let controllers = ["memory", "cpu", "cpuacct", "pids"]

    /// The host's hierarchy, or why there is none this process can use (not root, no cgroup mounts).
    static func detect() -> Result<CgroupHost, CgroupError> {
        guard geteuid() == 0 else {
            return .failure(CgroupError("the nexlet does not run as root (uid \(geteuid())), so it cannot create cgroups"))
        }
        guard let ownText = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else {
            return .failure(CgroupError("/proc/self/cgroup cannot be read: the kernel has no cgroups"))
        }
        let own = ownText.split(separator: "\n").compactMap { line -> (controllers: [String], path: String)? in
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            return (parts[1].split(separator: ",").map(String.init), String(parts[2]))
        }
        if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
            guard let path = own.first(where: { $0.controllers.isEmpty })?.path else {
                return .failure(CgroupError("/proc/self/cgroup has no cgroup v2 entry"))
            }
            return .success(CgroupHost(version: .v2(Self.join("/sys/fs/cgroup", path))))
        }
        guard let mountinfo = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else {
            return .failure(CgroupError("/proc/self/mountinfo cannot be read"))
        }
        var directories: [String: String] = [:]
        for line in mountinfo.split(separator: "\n") {
            // id parent major:minor root mountpoint options [optional…] - fstype source superoptions
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 3, tail[0] == "cgroup" else { continue }
            let root = String(fields[3])
            let mountpoint = String(fields[4])
            let options = tail[2].split(separator: ",").map(String.init)
            for controller in Self.controllers where options.contains(controller) {
                guard let path = own.first(where: { $0.controllers.contains(controller) })?.path else { continue }
                // A mount of a sub-tree (containers): our path is relative to the mount's root.
                var relative = path
                if root != "/" {
                    guard path == root || path.hasPrefix(root + "/") else { continue }
                    relative = String(path.dropFirst(root.count))
                }
                directories[controller] = Self.join(mountpoint, relative)
            }
        }
        guard !directories.isEmpty else {
            return .failure(CgroupError("the host mounts no cgroup hierarchy (neither v2 at /sys/fs/cgroup nor v1 memory, cpu, pids)"))
        }
        return .success(CgroupHost(version: .v1(directories)))
    }

    static func join(_ base: String, _ path: String) -> String {
        let trimmed = path.drop { $0 == "/" }
        return trimmed.isEmpty ? base : base + "/" + trimmed
    }

    /// The parent of this nexlet's workload cgroups, per hierarchy directory.
    func parentDirectories(ownerTag: String) -> [String] {
        switch version {
        case .v1(let directories): Array(Set(directories.values)).sorted().map { "\($0)/nex.\(ownerTag)" }
        case .v2(let own): ["\(own)/nex.\(ownerTag)"]
        }
    }

    /// Makes the workload's cgroup(s) and writes its limits. Any failure removes what was made and says which
    /// limit could not be enforced and why.
    func create(ownerTag: String, workloadID: String, limits: WorkloadLimits) throws(CgroupError) -> WorkloadCgroup {
        switch version {
        case .v1(let directories):
            for (limit, controller) in [("memory", "memory"), ("cpu", "cpu"), ("pids", "pids")] where directories[controller] == nil {
                let asked = (limit == "memory" && limits.memory != nil) || (limit == "cpu" && limits.cpu != nil)
                    || (limit == "pids" && limits.pids != nil)
                if asked {
                    throw CgroupError("the host has no cgroup v1 \(controller) controller, so limits.\(limit) cannot be enforced")
                }
            }
            var created: [String] = []
            do throws(CgroupError) {
                for own in Set(directories.values).sorted() {
                    let parent = "\(own)/nex.\(ownerTag)"
                    try Self.makeDirectory(parent)
                    let directory = "\(parent)/\(workloadID)"
                    try Self.makeDirectory(directory, fresh: true)
                    created.append(directory)
                }
                let group = WorkloadCgroup(
                    version: .v1(directories.mapValues { "\($0)/nex.\(ownerTag)/\(workloadID)" }), limits: limits)
                try group.applyLimits()
                return group
            } catch {
                created.forEach { WorkloadCgroup.removeDirectory($0) }
                throw error
            }
        case .v2(let own):
            let parent = "\(own)/nex.\(ownerTag)"
            let directory = "\(parent)/\(workloadID)"
            try Self.enableControllers(in: own)
            try Self.makeDirectory(parent)
            try Self.enableControllers(in: parent)
            try Self.makeDirectory(directory, fresh: true)
            let group = WorkloadCgroup(version: .v2(directory), limits: limits)
            do {
                try group.applyLimits()
            } catch {
                group.destroy()
                throw error
            }
            return group
        }
    }

    /// v2: the memory, cpu and pids controllers for the children of `directory` (fails with EBUSY when the
    /// directory holds processes itself and is not the root: the "no internal processes" rule).
    private static func enableControllers(in directory: String) throws(CgroupError) {
        let enabled = (try? String(contentsOfFile: "\(directory)/cgroup.subtree_control", encoding: .utf8)) ?? ""
        let have = Set(enabled.split(whereSeparator: \.isWhitespace).map(String.init))
        let wanted = ["memory", "cpu", "pids"].filter { !have.contains($0) }
        guard !wanted.isEmpty else { return }
        do {
            try CgroupFile.write("\(directory)/cgroup.subtree_control", wanted.map { "+\($0)" }.joined(separator: " "))
        } catch {
            throw CgroupError(
                "cannot enable the memory, cpu and pids controllers in \(directory) (\(error.description)); run the node in a cgroup of its own that holds no other process, e.g. a systemd service with Delegate=yes")
        }
    }

    private static func makeDirectory(_ path: String, fresh: Bool = false) throws(CgroupError) {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        if code == EEXIST && !fresh { return }
        if code == EEXIST {
            // A leftover of an earlier run of the same workload id: empty it and make it anew.
            WorkloadCgroup.removeDirectory(path)
            if mkdir(path, 0o755) == 0 { return }
        }
        throw CgroupError("cannot create cgroup \(path): \(String(cString: strerror(code)))")
    }

    /// Removes the cgroups under this nexlet's parents whose workload is not in `keeping` (a previous run's,
    /// after its orphans were stopped): anything still in them is killed first. Returns the workload ids removed.
    @discardableResult
    func removeOrphans(ownerTag: String, keeping: Set<String>) -> [String] {
        var removed = Set<String>()
        for parent in parentDirectories(ownerTag: ownerTag) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where !keeping.contains(name) {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: "\(parent)/\(name)", isDirectory: &isDirectory), isDirectory.boolValue
                else { continue }
                WorkloadCgroup.removeDirectory("\(parent)/\(name)")
                removed.insert(name)
            }
        }
        return removed.sorted()
    }

    /// A short stable tag of the nexlet's owner (its state directory) for directory names.
    static func ownerTag(_ owner: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in owner.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// Why cgroups cannot be used or a limit not be written; phrased to follow "cannot enforce limits: ".
struct CgroupError: Error, Sendable, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a workload used, from its cgroup or from `/proc` of its process group.
struct WorkloadUsage: Sendable, Equatable {
    /// CPU time of all its processes so far.
    var cpuSeconds: Double
    /// Memory in use: the cgroup's charge (v1 `memory.usage_in_bytes`, v2 `memory.current`), or the resident set
    /// of the process group.
    var memoryBytes: Int64
    /// Processes (tasks) at the moment.
    var processes: Int
    /// `cgroup` or `proc`.
    var source: String
    /// Processes of the group the kernel killed for memory so far (also children that were not the main process).
    var oomKills: Int?
}

/// One workload's cgroup (one directory per v1 hierarchy, or one v2 directory), its limits and counters.
struct WorkloadCgroup: Sendable, Equatable {
    let version: CgroupHost.Version
    let limits: WorkloadLimits

    /// The cgroup period CPU quotas are expressed in (100 ms).
    static let cpuPeriod: Int64 = 100_000

    /// Every directory of the group, deduplicated (cpu and cpuacct may share one mount).
    var directories: [String] {
        switch version {
        case .v1(let map): Array(Set(map.values)).sorted()
        case .v2(let directory): [directory]
        }
    }

    /// The files a process writes "0" to between fork and exec to join.
    var procsFiles: [String] { directories.map { "\($0)/cgroup.procs" } }

    private func directory(_ controller: String) -> String? {
        switch version {
        case .v1(let map): map[controller]
        case .v2(let directory): directory
        }
    }

    func applyLimits() throws(CgroupError) {
        switch version {
        case .v1:
            if let memory = limits.memory, let directory = directory("memory") {
                try write(directory, "memory.limit_in_bytes", "\(memory.bytes)", limit: "memory", value: "\(memory)")
                // Swap off for the workload: with swap the limit would only bound its resident part.
                if FileManager.default.fileExists(atPath: "\(directory)/memory.memsw.limit_in_bytes") {
                    try write(directory, "memory.memsw.limit_in_bytes", "\(memory.bytes)", limit: "memory", value: "\(memory)")
                }
            }
            if let cpu = limits.cpu, let directory = directory("cpu") {
                try write(directory, "cpu.cfs_period_us", "\(Self.cpuPeriod)", limit: "cpu", value: "\(cpu)")
                try write(directory, "cpu.cfs_quota_us", "\(Self.quota(cpu))", limit: "cpu", value: "\(cpu)")
            }
            if let pids = limits.pids, let directory = directory("pids") {
                try write(directory, "pids.max", "\(pids)", limit: "pids", value: "\(pids)")
            }
        case .v2(let directory):
            if let memory = limits.memory {
                try write(directory, "memory.max", "\(memory.bytes)", limit: "memory", value: "\(memory)")
                if FileManager.default.fileExists(atPath: "\(directory)/memory.swap.max") {
                    try write(directory, "memory.swap.max", "0", limit: "memory", value: "\(memory)")
                }
            }
            if let cpu = limits.cpu {
                try write(directory, "cpu.max", "\(Self.quota(cpu)) \(Self.cpuPeriod)", limit: "cpu", value: "\(cpu)")
            }
            if let pids = limits.pids {
                try write(directory, "pids.max", "\(pids)", limit: "pids", value: "\(pids)")
            }
        }
    }

    static func quota(_ cpu: Double) -> Int64 { max(1000, Int64((cpu * Double(cpuPeriod)).rounded())) }

    private func write(_ directory: String, _ file: String, _ value: String, limit: String, value shown: String) throws(CgroupError) {
        do {
            try CgroupFile.write("\(directory)/\(file)", value)
        } catch {
            throw CgroupError("cannot set limits.\(limit) \(shown) (\(file) in \(directory): \(error.description))")
        }
    }

    /// How often the kernel's OOM killer killed a process of this group (v1 `memory.oom_control`, v2
    /// `memory.events`: `oom_kill`).
    func oomKills() -> Int {
        let file: String
        switch version {
        case .v1(let map):
            guard let memory = map["memory"] else { return 0 }
            file = "\(memory)/memory.oom_control"
        case .v2(let directory):
            file = "\(directory)/memory.events"
        }
        return CgroupFile.keyed(file)["oom_kill"].map { Int($0) } ?? 0
    }

    /// The group's CPU time, memory charge and task count.
    func usage() -> WorkloadUsage {
        var usage = WorkloadUsage(
            cpuSeconds: 0, memoryBytes: 0, processes: processIDs().count, source: "cgroup", oomKills: limits.memory == nil ? nil : oomKills())
        switch version {
        case .v1(let map):
            if let cpuacct = map["cpuacct"], let nanoseconds = CgroupFile.number("\(cpuacct)/cpuacct.usage") {
                usage.cpuSeconds = Double(nanoseconds) / 1e9
            }
            if let memory = map["memory"], let bytes = CgroupFile.number("\(memory)/memory.usage_in_bytes") {
                usage.memoryBytes = bytes
            }
        case .v2(let directory):
            if let microseconds = CgroupFile.keyed("\(directory)/cpu.stat")["usage_usec"] {
                usage.cpuSeconds = Double(microseconds) / 1e6
            }
            usage.memoryBytes = CgroupFile.number("\(directory)/memory.current") ?? 0
        }
        return usage
    }

    /// The processes in the group (in any of its hierarchies).
    func processIDs() -> Set<Int32> {
        Set(directories.flatMap { Self.processIDs(in: $0) })
    }

    static func processIDs(in directory: String) -> [Int32] {
        ((try? String(contentsOfFile: "\(directory)/cgroup.procs", encoding: .utf8)) ?? "")
            .split(separator: "\n").compactMap { Int32($0) }
    }

    /// Kills whatever still runs in the group and removes its directories (blocking: it waits, at most
    /// `timeout`, for the killed processes to leave). Returns false when a directory could not be removed.
    @discardableResult
    func destroy(timeout: Duration = .seconds(10)) -> Bool {
        var removed = true
        for directory in directories where !Self.removeDirectory(directory, timeout: timeout) { removed = false }
        return removed
    }

    /// SIGKILL to every process in `directory` until it is empty, then rmdir (retrying while the kernel still
    /// holds exiting tasks). Each kill goes through a pidfd after checking that the process is still in the
    /// group, so a pid reused meanwhile is never hit.
    @discardableResult
    static func removeDirectory(_ directory: String, timeout: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var pause: UInt32 = 1000
        while true {
            // Nested groups first (none are made by us, but a leftover could hold some).
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                var isDirectory: ObjCBool = false
                let child = "\(directory)/\(name)"
                if FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), isDirectory.boolValue {
                    removeDirectory(child, timeout: .milliseconds(500))
                }
            }
            for pid in processIDs(in: directory) { killIfMember(pid, of: directory) }
            if rmdir(directory) == 0 || errno == ENOENT { return true }
            guard ContinuousClock.now < deadline else { return false }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    private static func killIfMember(_ pid: Int32, of directory: String) {
        let fd = cps_pidfd_open(pid)
        guard fd >= 0 else { return }
        defer { close(fd) }
        // The pidfd pins the process: /proc/<pid> is now the process the fd refers to (or gone).
        let cgroups = (try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)) ?? ""
        let tail = directory.split(separator: "/").suffix(2).joined(separator: "/")
        guard cgroups.split(separator: "\n").contains(where: { $0.hasSuffix("/" + tail) }) else { return }
        _ = cps_pidfd_send_signal(fd, SIGKILL)
    }
}

/// Reading and writing cgroup files (small, read whole; each write one `write` call, as the kernel wants).
enum CgroupFile {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ path: String, _ value: String) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw WriteError(description: String(cString: strerror(errno))) }
    }

    static func number(_ path: String) -> Int64? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `key value` lines (memory.oom_control, memory.events, cpu.stat).
    static func keyed(_ path: String) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for line in ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int64(parts[1]) { result[String(parts[0])] = value }
        }
        return result
    }
}

/// Usage of a workload without a cgroup: the sum over the processes of its process group in `/proc`.
enum ProcessGroupUsage {
    /// Calls `visit(process group, cpu seconds, resident bytes)` for every live process in `/proc`.
    static func scan(_ visit: (Int32, Double, Int64) -> Void) {
        let ticks = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let page = Int64(max(sysconf(Int32(_SC_PAGESIZE)), 1))
        guard let directory = opendir("/proc") else { return }
        defer { closedir(directory) }
        // Raw reads into one buffer: a listing samples every process of the host, and Foundation's file reading
        // made that most of a 200-workload list's time.
        var buffer = [UInt8](repeating: 0, count: 1024)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let first = name.utf8.first, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else { continue }
            let descriptor = open("/proc/\(name)/stat", O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            guard count > 0, let commandEnd = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { continue }
            // Fields after the command: 3 state, 4 ppid, 5 pgrp, … 14 utime, 15 stime, … 24 rss.
            let fields = buffer[(commandEnd + 1)..<count].split(separator: UInt8(ascii: " "))
            guard fields.count >= 22, fields[0].first != UInt8(ascii: "Z"),
                  let group = Int32(String(decoding: fields[2], as: UTF8.self))
            else { continue }
            func number(_ index: Int) -> Double { Double(String(decoding: fields[index], as: UTF8.self)) ?? 0 }
            let cpu = (number(11) + number(12)) / ticks
            visit(group, cpu, Int64(number(21)) * page)
        }
    }

    /// One pass over `/proc` for several process groups.
    static func sample(processGroups: Set<Int32>) -> [Int32: WorkloadUsage] {
        var result: [Int32: WorkloadUsage] = [:]
        for group in processGroups { result[group] = WorkloadUsage(cpuSeconds: 0, memoryBytes: 0, processes: 0, source: "proc") }
        ProcessGroupUsage.scan { group, cpu, memory in
            guard processGroups.contains(group) else { return }
            result[group]?.cpuSeconds += cpu
            result[group]?.memoryBytes += memory
            result[group]?.processes += 1
        }
        return result
    }
}
