import Foundation
import JSONSchema
import Logging
import NexProtocol
import OffPool
import ProcessKit

// issue 14: limits

extension NativeNexlet {
    /// Makes the workload's cgroup with its limits (on a blocking-I/O thread), or refuses: limits are never
    /// silently dropped.
    func makeCgroup(_ limits: WorkloadLimits, workloadID: String) async throws(NativeStartError) -> WorkloadCgroup {
        let host: CgroupHost
        switch cgroupHost {
        case .success(let found): host = found
        case .failure(let reason): throw .limitsUnenforceable(reason.description)
        }
        let tag = cgroupOwnerTag
        let result = await Blocking.value { () -> Result<WorkloadCgroup, CgroupError> in
            Result { () throws(CgroupError) in try host.create(ownerTag: tag, workloadID: workloadID, limits: limits) }
        }
        switch result {
        case .success(let group): return group
        case .failure(let reason): throw .limitsUnenforceable(reason.description)
        }
    }

    /// Takes the workload's cgroup out of its entry and removes it, killing what is left inside (daemonised
    /// children that escaped the process group): called once the workload's process is gone.
    func releaseCgroup(_ workloadID: String) async {
        let group = update(workloadID) { entry -> WorkloadCgroup? in
            defer { entry.cgroup = nil }
            return entry.cgroup
        } ?? nil
        guard let group else { return }
        await Self.destroy(group, logger: logger)
    }

    static func destroy(_ group: WorkloadCgroup, logger: Logger) async {
        let removed = await Blocking.value { group.destroy() }
        if !removed {
            logger.warning("could not remove a workload cgroup", metadata: ["directories": "\(group.directories)"])
        }
    }

    /// Removes the cgroups a previous run of this nexlet left (its workloads were stopped as orphans first).
    func removeOrphanCgroups() async {
        guard case .success(let host) = cgroupHost else { return }
        let mine = Set(workloadIDs)
        let tag = cgroupOwnerTag
        let removed = await Blocking.value { host.removeOrphans(ownerTag: tag, keeping: mine) }
        if !removed.isEmpty {
            logger.warning("removed workload cgroups left over from a previous run", metadata: ["workloads": "\(removed)"])
        }
    }

    /// Removes this nexlet's (empty) cgroup parents.
    func removeCgroupParents() async {
        guard case .success(let host) = cgroupHost else { return }
        let tag = cgroupOwnerTag
        await Blocking.value { host.parentDirectories(ownerTag: tag).forEach { _ = rmdir($0) } }
    }

    /// A process of the workload exited: was it killed for memory (the group's OOM-kill counter grew)?
    func noteExit(_ workloadID: String) async -> Bool {
        guard let group = state.withLock({ $0.workloads[workloadID]?.cgroup }), group.limits.memory != nil else { return false }
        let kills = await Blocking.value { group.oomKills() }
        return update(workloadID) { entry -> Bool in
            entry.lastExitWasOOM = kills > entry.oomKills
            entry.oomKills = kills
            return entry.lastExitWasOOM
        } ?? false
    }

    /// "out of memory (…)" when the workload's last process was killed for memory, else nil.
    func outOfMemoryNote(_ workloadID: String) -> String? {
        state.withLock { state in
            guard let entry = state.workloads[workloadID], entry.lastExitWasOOM else { return nil }
            let limit = entry.limits.memory.map { " at its memory limit of \($0)" } ?? ""
            return "out of memory (killed by the kernel\(limit))"
        }
    }

    // MARK: Usage

    /// CPU and memory of each workload: from its cgroup, else from `/proc` of its process group (functions
    /// without a cgroup have no lasting process and get none). One blocking pass.
    static func sampleUsage(_ entries: [WorkloadEntry]) async -> [String: WorkloadUsage] {
        let targets = entries.map { ($0.id, $0.cgroup, $0.pid) }
        return await Blocking.value {
            let groups = Set(targets.compactMap { $0.1 == nil ? $0.2 : nil })
            let fromProc = groups.isEmpty ? [:] : ProcessGroupUsage.sample(processGroups: groups)
            var result: [String: WorkloadUsage] = [:]
            for (id, cgroup, pid) in targets {
                if let cgroup {
                    result[id] = cgroup.usage()
                } else if let pid {
                    result[id] = fromProc[pid] ?? WorkloadUsage(cpuSeconds: 0, memoryBytes: 0, processes: 0, source: "proc")
                }
            }
            return result
        }
    }

    /// The metadata entries for limits and usage in `nex workload info` and `list`.
    static func usageMetadata(_ entry: WorkloadEntry, usage: WorkloadUsage?) -> [String: String] {
        var metadata: [String: String] = [:]
        if let usage {
            metadata["cpu_seconds"] = String(format: "%.2f", usage.cpuSeconds)
            metadata["memory"] = humanBytes(usage.memoryBytes)
            metadata["memory_bytes"] = "\(usage.memoryBytes)"
            metadata["processes"] = "\(usage.processes)"
        }
        if let percent = entry.cpuPercent { metadata["cpu_percent"] = String(format: "%.1f", percent) }
        if !entry.limits.isEmpty { metadata["limits"] = limitsText(entry.limits) }
        if entry.limits.memory != nil { metadata["oom_kills"] = "\(max(usage?.oomKills ?? 0, entry.oomKills))" }
        if entry.lastExitWasOOM { metadata["last_exit"] = "out of memory" }
        return metadata
    }

    /// `memory=64MiB cpu=0.5 pids=64` (only the limits that are set).
    static func limitsText(_ limits: WorkloadLimits) -> String {
        var parts: [String] = []
        if let memory = limits.memory { parts.append("memory=\(memory)") }
        if let cpu = limits.cpu { parts.append("cpu=\(cpu)") }
        if let pids = limits.pids { parts.append("pids=\(pids)") }
        return parts.joined(separator: " ")
    }

    /// `12.3MiB` style (one decimal), for people; the exact count is in `memory_bytes`.
    static func humanBytes(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes)B" : String(format: "%.1f%@", value, units[unit])
    }

    // MARK: Metrics feed

    /// Publishes every workload's usage on `$NEX.FEED.<ns>.metrics.<id>` every ``NativeNexletOptions/metricsInterval``.
    func startMetricsLoop() {
        guard let interval = options.metricsInterval, interval > .zero else { return }
        let task = Task { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self else { return }
                await self.publishMetrics()
            }
        }
        let previous = state.withLock { state in
            defer { state.metricsTask = task }
            return state.metricsTask
        }
        previous?.cancel()
    }

    func stopMetricsLoop() {
        let task = state.withLock { state in
            defer { state.metricsTask = nil }
            return state.metricsTask
        }
        task?.cancel()
    }

    /// One round of the metrics feed: samples every running workload, updates its CPU share and publishes one
    /// JSON message per workload (see README "Limits": `cpu_seconds`, `cpu_percent`, `memory_bytes`, …).
    func publishMetrics() async {
        let (entries, host, crashed) = state.withLock { state in
            (state.workloads.values.filter { $0.ending == nil && !$0.isPending }, state.host, state.crashed)
        }
        guard let host, !crashed, !entries.isEmpty else { return }
        let samples = await Self.sampleUsage(entries)
        let now = ContinuousClock.now
        let stamp = GoTime.now().rfc3339Seconds
        for entry in entries {
            guard let usage = samples[entry.id] else { continue }
            let updated = update(entry.id) { current -> WorkloadEntry in
                if let last = current.lastUsage {
                    let elapsed = (now - last.at) / .seconds(1)
                    if elapsed > 0 { current.cpuPercent = max(0, (usage.cpuSeconds - last.usage.cpuSeconds) / elapsed * 100) }
                }
                current.lastUsage = (usage, now)
                return current
            }
            guard let updated else { continue }
            var fields: [String: JSONValue] = [
                "workload_id": .string(entry.id), "namespace": .string(entry.namespace), "time": .string(stamp),
                "cpu_seconds": .number(usage.cpuSeconds), "memory_bytes": .integer(usage.memoryBytes),
                "processes": .integer(Int64(usage.processes)), "source": .string(usage.source),
            ]
            if let percent = updated.cpuPercent { fields["cpu_percent"] = .number((percent * 10).rounded() / 10) }
            if !entry.limits.isEmpty {
                fields["limits"] = entry.limits.json
                fields["oom_kills"] = .integer(Int64(max(usage.oomKills ?? 0, updated.oomKills)))
            }
            host.publishMetrics(Data(JSONValue.object(fields).compactText.utf8), namespace: entry.namespace, workloadID: entry.id)
        }
    }
}
