import Foundation
import Logging
import NexProtocol
import ProcessKit

extension NativeNexlet {
    /// Turns one workload's supervisor events into state, process records and nex events: a restart is
    /// announced with `WORKLOADSTARTED`; the end of a job or the give-up of a service removes the workload
    /// with `WORKLOADSTOPPED` (its `error` carries the exit code when the workload failed). Stops are
    /// reported by whoever stopped.
    func monitor(
        _ supervisor: ProcessSupervisor, workloadID: String, namespace: String, lifecycle: WorkloadLifecycle,
        firstStart: AsyncStream<Void>.Continuation
    ) async {
        defer { firstStart.finish() }
        for await event in supervisor.events {
            if state.withLock({ $0.crashed }) { continue }
            switch event {
            case .started(let identity):
                let (restarted, sandbox) = update(workloadID) { entry in
                    entry.pid = identity.pid
                    entry.runs += 1
                    if entry.ending == nil { entry.state = .running }
                    return (entry.runs > 1, entry.sandbox)
                } ?? (false, nil)
                await processRecords?.record(NativeProcessRecord(
                    workloadID: workloadID, namespace: namespace, identity: identity, uid: sandbox?.uid, home: sandbox?.home.path))
                firstStart.finish()
                if restarted {
                    logger.info("workload restarted", metadata: ["workload": "\(workloadID)", "pid": "\(identity.pid)"])
                    await state.withLock({ $0.host })?.emitWorkloadStarted(workloadID: workloadID, namespace: namespace)
                }
            case .exited(let status):
                // issue 14: limits
                if await noteExit(workloadID) {
                    logger.warning("workload process killed for memory", metadata: [
                        "workload": "\(workloadID)", "status": "\(status)", "oom": "\(outOfMemoryNote(workloadID) ?? "")",
                    ])
                }
                update(workloadID) { entry in
                    entry.pid = nil
                    if entry.ending == nil { entry.state = lifecycle == .job ? .stopped : .error }
                }
                logger.info("workload process exited", metadata: ["workload": "\(workloadID)", "status": "\(status)"])
            case .restarting(let attempt, let delay):
                update(workloadID) { $0.restarts = attempt }
                logger.info("restarting workload", metadata: [
                    "workload": "\(workloadID)", "attempt": "\(attempt)", "delay": "\(GoDuration(delay))",
                ])
            case .stopped:
                break
            case .completed(let status):
                let oom = outOfMemoryNote(workloadID).map { ": \($0)" } ?? ""
                let failure = status.isSuccess
                    ? nil : WorkloadStoppedEventError(code: "\(status.shellCode)", message: "job ended with \(status)\(oom)")
                await finish(workloadID, namespace: namespace, error: failure)
            case .gaveUp(let status):
                let oom = outOfMemoryNote(workloadID).map { ": \($0)" } ?? ""
                let message = "service gave up after \(options.restartPolicy.maximumRestarts) restarts; its last run ended with \(status)\(oom)"
                await finish(workloadID, namespace: namespace, error: WorkloadStoppedEventError(code: "\(status.shellCode)", message: message))
            case .restartFailed(let error, let status):
                let message = "service could not be restarted: \(error)"
                await finish(workloadID, namespace: namespace, error: WorkloadStoppedEventError(code: "\(status.shellCode)", message: message))
            }
        }
    }

    /// A workload ended by itself: unless a stop claimed it first, remove it and announce it.
    private func finish(_ workloadID: String, namespace: String, error: WorkloadStoppedEventError?) async {
        // A start still in progress reports first (its reply precedes this event).
        await waitUntilSettled(workloadID)
        let claimed = update(workloadID) { entry -> Bool in
            guard entry.ending == nil else { return false }
            entry.ending = .finished
            return true
        } ?? false
        guard claimed else { return }
        await releaseCgroup(workloadID)
        await processRecords?.remove(workloadID)
        let host = state.withLock { state in
            Self.remove(workloadID, from: &state)
            return state.host
        }
        logger.info("workload ended", metadata: [
            "workload": "\(workloadID)", "namespace": "\(namespace)", "code": "\(error?.code ?? "0")",
        ])
        await host?.unregisterTrigger(workloadID: workloadID)
        await host?.emitWorkloadStopped(workloadID: workloadID, namespace: namespace, error: error)
    }

    /// Changes an entry in place; nil when it is gone.
    @discardableResult
    func update<T>(_ workloadID: String, _ change: (inout WorkloadEntry) -> T) -> T? {
        state.withLock { state in
            guard var entry = state.workloads[workloadID] else { return nil }
            let result = change(&entry)
            state.workloads[workloadID] = entry
            return result
        }
    }

    // MARK: Output

    /// One line of workload output: published on the workload's log feed, and logged when configured.
    func forward(_ line: LogLine, workloadID: String, namespace: String) {
        let (host, crashed) = state.withLock { ($0.host, $0.crashed) }
        guard !crashed else { return }
        host?.publishOutput(line, namespace: namespace, workloadID: workloadID)
        guard options.logWorkloadOutput else { return }
        let text = line.text.replacingOccurrences(of: "\n", with: "\\n")
        (host?.logger ?? options.logger).log(
            level: line.stream == .stderr ? .error : .info, "\(text)",
            metadata: ["group": "workload", "workload": "\(workloadID)", "namespace": "\(namespace)"])
    }
}
