import Foundation
import Nexlet
import NexProtocol
import Synchronization

/// Runs "echo" workloads: each one publishes its text on its stdout feed every `interval`. A `service` runs
/// until stopped; a `job` logs `count` lines and ends (with a `WORKLOADSTOPPED` event).
final class EchoRuntime: NexletWorkloadDiscovery {
    let registration: NexletRegistration
    private let interval: Duration
    private let state = Mutex(State())

    private struct State {
        var host: NexletHost?
        var workloads: [String: Running] = [:]
    }

    private struct Running {
        var request: StartWorkloadRequest
        var startTime: GoTime
        var task: Task<Void, Never>
    }

    init(name: String, interval: Duration) throws {
        self.interval = interval
        registration = NexletRegistration(
            name: name, registerType: "echo", version: "0.1.0", description: "Logs a line of text every second",
            publicXkey: try NexletXKey.generate().publicKey, supportedLifecycles: [.service, .job],
            startRequestSchema: EchoRequest.schema)
    }

    func attach(to host: NexletHost) async {
        state.withLock { $0.host = host }
    }

    func start(workloadID: String, request: AgentStartWorkloadRequest, replayed: Bool) async throws -> StartWorkloadResponse {
        guard let host = state.withLock({ $0.host }) else { throw NexletError.failed("not attached to a runner") }
        var definition = request.request
        if definition.name.isEmpty { definition.name = "echo-\(workloadID.prefix(6))" }
        let echo = EchoRequest(runRequest: definition.runRequest)
        let output = host.output(namespace: definition.namespace, workloadID: workloadID)
        let lines = definition.workloadLifecycle == .job ? max(1, echo.count ?? 3) : nil
        let interval = self.interval
        let namespace = definition.namespace
        let task = Task { [weak self] in
            var written = 0
            while !Task.isCancelled, lines.map({ written < $0 }) ?? true {
                output.write((echo.text ?? "echo") + "\n")
                written += 1
                try? await Task.sleep(for: interval)
            }
            // A job that ran to its end is gone; a stop (cancellation) is reported by the runner instead.
            guard !Task.isCancelled, let self else { return }
            if self.state.withLock({ $0.workloads.removeValue(forKey: workloadID) }) != nil {
                await host.emitWorkloadStopped(workloadID: workloadID, namespace: namespace)
            }
        }
        let previous = state.withLock { state in
            state.workloads.updateValue(Running(request: definition, startTime: .now(), task: task), forKey: workloadID)
        }
        previous?.task.cancel()
        return StartWorkloadResponse(id: workloadID, name: definition.name)
    }

    func stop(workloadID: String, namespace: String) async throws {
        let running = try state.withLock { state throws(NexletError) -> Running in
            guard let running = state.workloads[workloadID], running.request.namespace == namespace else {
                throw state.workloads.values.contains { $0.request.namespace == namespace } ? .workloadNotFound : .namespaceNotFound
            }
            state.workloads[workloadID] = nil
            return running
        }
        running.task.cancel()
        await running.task.value
    }

    func get(workloadID: String, targetXkey: String) async throws -> StartWorkloadRequest {
        guard let running = state.withLock({ $0.workloads[workloadID] }) else { throw NexletError.workloadNotFound }
        return running.request
    }

    func query(namespace: String, filter: [String]?) async throws -> [WorkloadSummary] {
        let query = AgentListWorkloadsRequest(namespace: namespace, filter: filter)
        let now = GoTime.now()
        return state.withLock { Array($0.workloads) }
            .filter { namespace == NexConstants.systemNamespace || $0.value.request.namespace == namespace }
            .filter { query.keeps(id: $0.key, name: $0.value.request.name) }
            .sorted { $0.key < $1.key }
            .map { id, running in
                WorkloadSummary(
                    id: id, name: running.request.name, namespace: running.request.namespace, workloadType: "echo",
                    workloadLifecycle: running.request.workloadLifecycle.rawValue, workloadState: .running,
                    startTime: running.startTime.rfc3339Seconds, runtime: now.duration(since: running.startTime).description,
                    tags: running.request.tags)
            }
    }

    /// Stops every workload at once (echoing needs no drain time).
    func setLameduck(delay: Duration) async throws {
        let (all, host) = state.withLock { state in
            defer { state.workloads = [:] }
            return (state.workloads, state.host)
        }
        for (id, running) in all {
            running.task.cancel()
            await running.task.value
            await host?.emitWorkloadStopped(workloadID: id, namespace: running.request.namespace)
        }
    }

    func summary() async -> NexletStatus {
        NexletStatus(state: .running, workloadCount: state.withLock { $0.workloads.count })
    }

    func hasWorkload(_ workloadID: String) async -> Bool {
        state.withLock { $0.workloads[workloadID] != nil }
    }

    /// The node going away does not stop echoes in Go either; here they simply end with the process.
    func detach() async {
        let all = state.withLock { state in
            defer { state.workloads = [:]; state.host = nil }
            return state.workloads.values
        }
        for running in all { running.task.cancel() }
    }
}
