import Foundation
import Logging
import NATSKit
import NexProtocol
import Synchronization

/// Everything the endpoint handlers, the heartbeat and replay of one runner session share.
final class AgentContext: Sendable {
    let runtime: any NexletRuntime
    let registration: NexletRegistration
    let agentID: String
    let nodeID: String
    let nexus: String
    let connection: NatsConnection
    let host: NexletHost
    let triggers: TriggerRegistry
    let ingressHostIP: String?
    let logger: Logger
    let startTime = GoTime.now()
    private let flags = Mutex<(lameduck: Bool, stopping: Bool)>((false, false))

    init(
        runtime: any NexletRuntime, registration: NexletRegistration, agentID: String, nodeID: String, nexus: String,
        connection: NatsConnection, host: NexletHost, triggers: TriggerRegistry, ingressHostIP: String?, logger: Logger
    ) {
        self.runtime = runtime
        self.registration = registration
        self.agentID = agentID
        self.nodeID = nodeID
        self.nexus = nexus
        self.connection = connection
        self.host = host
        self.triggers = triggers
        self.ingressHostIP = ingressHostIP
        self.logger = logger
    }

    var isLameduck: Bool { flags.withLock { $0.lameduck } }
    func enterLameduck() { flags.withLock { $0.lameduck = true } }
    func markStopping() { flags.withLock { $0.stopping = true } }

    // MARK: Summary and heartbeat

    /// The agent summary (PING reply, heartbeat) and the heartbeat data. The runner's own state wins over a
    /// runtime that still says `running`: `stopping` while the runner stops, `lameduck` after SETLAMEDUCK.
    func summary() async -> (summary: AgentSummary, data: String) {
        let status = await runtime.summary()
        let (lameduck, stopping) = flags.withLock { ($0.lameduck, $0.stopping) }
        var state = status.state
        if stopping {
            state = .stopping
        } else if lameduck && state == .running {
            state = .lameduck
        }
        let summary = AgentSummary(
            name: registration.name, type: registration.registerType, version: registration.version,
            state: state.rawValue, startTime: startTime,
            supportedLifecycles: AgentSummary.joinLifecycles(registration.supportedLifecycles),
            workloadCount: status.workloadCount)
        return (summary, status.data)
    }

    /// Publishes one heartbeat on `$NEX.SVC.<nodeId>.agent.HEARTBEAT.<agentId>`.
    func publishHeartbeat() async {
        let (summary, data) = await summary()
        do {
            let payload = try GoJSON.encode(AgentHeartbeat(summary: summary, data: data))
            try connection.publish(NexSubject.agentHeartbeat(nodeID: nodeID, agentID: agentID), payload: payload)
        } catch {
            logger.warning("cannot publish a heartbeat", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Workload lifecycle shared by the endpoints and replay

    /// Starts (or replays) a workload: lifecycle and lameduck checks, the runtime's start, the function
    /// trigger, then `WORKLOADSTARTED` and the ingress announcement.
    /// With `announce: false` the caller announces the start itself with ``announceStarted(workloadID:namespace:)``
    /// (the STARTWORKLOAD endpoint does so after its reply, which then waits for nothing but the runtime).
    func startWorkload(workloadID: String, request sealed: AgentStartWorkloadRequest, replayed: Bool, announce: Bool = true) async throws -> StartWorkloadResponse {
        let request = try SealedPayloads.open(sealed, for: runtime)
        let definition = request.request
        if !replayed && isLameduck { throw NexletError.lameduck }
        guard registration.supports(definition.workloadLifecycle) else {
            throw NexletError.unsupportedLifecycle(definition.workloadLifecycle)
        }
        let response = try await runtime.start(workloadID: workloadID, request: request, replayed: replayed)
        if definition.workloadLifecycle == .function, let functions = runtime as? any NexletFunctionRuntime,
           let subject = functions.triggerSubject(workloadID: workloadID, request: definition) {
            do {
                try await triggers.register(
                    workloadID: workloadID, namespace: definition.namespace, subject: subject,
                    credentials: request.workloadCreds, handler: { try await functions.trigger($0) })
            } catch {
                // Do not leave a function running that nobody can trigger.
                try? await runtime.stop(workloadID: workloadID, namespace: definition.namespace)
                throw NexletError.failed("failed to register the function trigger on \(subject): \(errorText(error))")
            }
        }
        if announce { await announceStarted(workloadID: workloadID, namespace: definition.namespace) }
        return response
    }

    /// `WORKLOADSTARTED` and the ingress announcement of a started workload.
    func announceStarted(workloadID: String, namespace: String) async {
        await host.emitWorkloadStarted(workloadID: workloadID, namespace: namespace)
        await announceIngress(workloadID: workloadID, adding: true)
    }

    /// Stops a workload: the runtime's stop, then trigger removal, `WORKLOADSTOPPED` and the ingress removal.
    func stopWorkload(workloadID: String, namespace: String) async throws {
        try await runtime.stop(workloadID: workloadID, namespace: namespace)
        await triggers.unregister(workloadID: workloadID)
        await host.emitWorkloadStopped(workloadID: workloadID, namespace: namespace)
        await announceIngress(workloadID: workloadID, adding: false)
    }

    /// `$NEX.FEED.<agentId>.events.INGRESS` add (first exposed port) / remove, only with an ingress host IP
    /// and a runtime that supports discovery.
    private func announceIngress(workloadID: String, adding: Bool) async {
        guard let ip = ingressHostIP, let discovery = runtime as? any NexletWorkloadDiscovery else { return }
        let message: AgentIngressMsg
        if adding {
            guard let port = await discovery.exposedPorts(workloadID: workloadID).first else { return }
            message = AgentIngressMsg(command: .add, workloadID: workloadID, upstream: "\(ip):\(port)")
        } else {
            message = AgentIngressMsg(command: .remove, workloadID: workloadID)
        }
        do {
            try connection.publish(NexSubject.ingress(agentID: agentID), payload: GoJSON.encode(message))
        } catch {
            logger.warning("cannot publish an ingress message", metadata: ["workload": "\(workloadID)", "error": "\(error)"])
        }
    }
}
