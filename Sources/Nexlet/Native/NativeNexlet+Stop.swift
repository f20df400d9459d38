import NexProtocol
import ProcessKit

/// How an attempt to end a workload went.
enum EndOutcome: Sendable, Equatable {
    /// Not here, or it ended by itself meanwhile.
    case notFound
    /// Stopped by this call; its process (if any) is gone.
    case stopped(namespace: String)
    /// Another stop got there first; it is gone now.
    case stoppedElsewhere
}

extension NativeNexlet {
    /// STOPWORKLOAD: SIGTERM to the process group, up to the grace period, SIGKILL; returns once the process
    /// is gone (the runner then emits `WORKLOADSTOPPED`).
    public func stop(workloadID: String, namespace: String) async throws {
        switch await end(workloadID, namespace: namespace, grace: options.stopGrace) {
        case .stopped:
            return
        case .stoppedElsewhere:
            throw NexletError.workloadNotFound
        case .notFound:
            let known = state.withLock { $0.workloads.values.contains { $0.namespace == namespace } }
            throw known ? NexletError.workloadNotFound : NexletError.namespaceNotFound
        }
    }

    /// Ends a workload (of `namespace`, or of any namespace when nil) and removes it. A workload still
    /// starting is asked to undo its start, and waited for.
    func end(_ workloadID: String, namespace: String?, grace: Duration) async -> EndOutcome {
        enum Action {
            case notFound
            case waitUntilSettled
            case waitUntilGone
            case removed(String, WorkloadCgroup?)
            case stop(ProcessSupervisor, Task<Void, Never>, String)
        }
        while true {
            let action = state.withLock { state -> Action in
                guard var entry = state.workloads[workloadID], namespace == nil || entry.namespace == namespace else {
                    return .notFound
                }
                switch entry.ending {
                case .finished: return .notFound
                case .stopping: return .waitUntilGone
                case nil: break
                }
                switch entry.runner {
                case .pending:
                    entry.stopRequested = true
                    state.workloads[workloadID] = entry
                    return .waitUntilSettled
                case .function:
                    Self.remove(workloadID, from: &state)
                    return .removed(entry.namespace, entry.cgroup)
                case .supervised(let supervisor, let monitor):
                    entry.ending = .stopping
                    entry.state = .stopping
                    state.workloads[workloadID] = entry
                    return .stop(supervisor, monitor, entry.namespace)
                }
            }
            switch action {
            case .notFound:
                return .notFound
            case .waitUntilSettled:
                await waitUntilSettled(workloadID)
            case .waitUntilGone:
                await waitUntilGone(workloadID)
                return .stoppedElsewhere
            case .removed(let owner, let cgroup):
                if let cgroup { await Self.destroy(cgroup, logger: logger) }
                return .stopped(namespace: owner)
            case .stop(let supervisor, let monitor, let owner):
                let status = await supervisor.stop(grace: grace)
                await monitor.value
                await releaseCgroup(workloadID)
                await processRecords?.remove(workloadID)
                state.withLock { Self.remove(workloadID, from: &$0) }
                logger.info("workload stopped", metadata: [
                    "workload": "\(workloadID)", "namespace": "\(owner)", "status": "\(status.map { "\($0)" } ?? "not running")",
                ])
                return .stopped(namespace: owner)
            }
        }
    }

    /// Removes an entry and wakes everyone waiting on it.
    static func remove(_ workloadID: String, from state: inout NativeState) {
        guard let entry = state.workloads.removeValue(forKey: workloadID) else { return }
        entry.sandbox?.retire()
        for waiter in entry.settledWaiters + entry.goneWaiters { waiter.resume() }
    }

    /// Returns once the workload is no longer starting (or gone).
    func waitUntilSettled(_ workloadID: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state -> Bool in
                guard var entry = state.workloads[workloadID], entry.isPending else { return false }
                entry.settledWaiters.append(continuation)
                state.workloads[workloadID] = entry
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    /// Returns once the workload has been removed.
    func waitUntilGone(_ workloadID: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let waiting = state.withLock { state -> Bool in
                guard var entry = state.workloads[workloadID] else { return false }
                entry.goneWaiters.append(continuation)
                state.workloads[workloadID] = entry
                return true
            }
            if !waiting { continuation.resume() }
        }
    }

    /// Marks a starting workload as started (with `state`, unless nil: the supervisor's events set it),
    /// waking whoever waits for that.
    static func settle(_ workloadID: String, runner: WorkloadRunner, state: WorkloadState?, in native: inout NativeState) {
        guard var entry = native.workloads[workloadID] else { return }
        entry.runner = runner
        if let state, entry.ending == nil { entry.state = state }
        let waiters = entry.settledWaiters
        entry.settledWaiters = []
        native.workloads[workloadID] = entry
        for waiter in waiters { waiter.resume() }
    }
}
