/// A state store whose operations are counted and timed (`nex_kv_operations_total`,
/// `nex_kv_operation_duration_seconds`). The node puts it around a store that keeps something (not around
/// ``NoWorkloadState``), beneath the sealing.
struct MeasuredWorkloadState: WorkloadStateStore {
    let inner: any WorkloadStateStore
    let metrics: NodeMetrics

    func save(_ workload: StoredWorkload) async throws {
        try await metrics.measure(.save) { try await inner.save(workload) }
    }

    func remove(workloadType: String, workloadID: String) async throws {
        try await metrics.measure(.remove) { try await inner.remove(workloadType: workloadType, workloadID: workloadID) }
    }

    func workloads(ofType workloadType: String) async throws -> [StoredWorkload] {
        try await metrics.measure(.list) { try await inner.workloads(ofType: workloadType) }
    }

    func all() async throws -> [StoredWorkload] {
        try await metrics.measure(.list) { try await inner.all() }
    }

    func probe() async throws {
        try await metrics.measure(.probe) { try await inner.probe() }
    }
}
