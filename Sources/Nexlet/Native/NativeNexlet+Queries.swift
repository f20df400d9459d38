import NexProtocol

extension NativeNexlet {
    /// The stored definition (with its generated name, if it had none), from any namespace.
    public func get(workloadID: String, targetXkey: String) async throws -> StartWorkloadRequest {
        guard let request = state.withLock({ $0.workloads[workloadID]?.request }) else { throw NexletError.workloadNotFound }
        return request
    }

    /// Summaries of `namespace` (every namespace for `system`), filtered by id or name. `runtime` is `--`
    /// (the reference's) for services and jobs and the functions' total execution time; `start_time` is RFC
    /// 3339 without fraction. `metadata` carries the pid and restarts of a process, or the trigger subject.
    public func query(namespace: String, filter: [String]?) async throws -> [WorkloadSummary] {
        let query = AgentListWorkloadsRequest(namespace: namespace, filter: filter)
        let entries = state.withLock { Array($0.workloads.values) }
            .filter { namespace == NexConstants.systemNamespace || $0.namespace == namespace }
            .filter { query.keeps(id: $0.id, name: $0.request.name) }
            .sorted { ($0.startTime, $0.id) < ($1.startTime, $1.id) }
        // issue 14: limits. CPU and memory of each, from its cgroup or /proc.
        let usage = await Self.sampleUsage(entries)
        return entries.map { summary(of: $0, usage: usage[$0.id]) }
    }

    private func summary(of entry: WorkloadEntry, usage: WorkloadUsage?) -> WorkloadSummary {
        var metadata = Self.usageMetadata(entry, usage: usage)
        if let pid = entry.pid { metadata["pid"] = "\(pid)" }
        if entry.request.workloadLifecycle == .service { metadata["restarts"] = "\(entry.restarts)" }
        if let subject = entry.triggerSubject { metadata["trigger_subject"] = subject }
        let runtime = entry.request.workloadLifecycle == .function ? GoDuration(entry.functionTime).description : "--"
        return WorkloadSummary(
            id: entry.id, name: entry.request.name, namespace: entry.namespace, workloadType: registration.registerType,
            workloadLifecycle: entry.request.workloadLifecycle.rawValue, workloadState: entry.state,
            startTime: entry.startTime.rfc3339Seconds, runtime: runtime, tags: entry.request.tags, metadata: metadata)
    }

    public func hasWorkload(_ workloadID: String) async -> Bool {
        state.withLock { $0.workloads[workloadID] != nil }
    }

    public func exposedPorts(workloadID: String) async -> [Int] {
        state.withLock { $0.workloads[workloadID]?.exposedPorts ?? [] }
    }
}
