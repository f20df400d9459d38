import Foundation
import Logging
import Minter
import NATSKit
import NATSSubjects
import NexProtocol
import Synchronization

/// One registration of a runtime with a node: the agent connection, the micro service, the heartbeat and
/// background replay. Built by ``establish(runtime:options:agentID:nodeID:nexus:registration:identity:)``,
/// torn down by ``stop()``.
final class AgentSession: Sendable {
    let context: AgentContext
    private let service: MicroService
    private let heartbeat: HeartbeatLoop
    private let replaying: Task<Void, Never>?
    private let drainTimeout: Duration

    private init(context: AgentContext, service: MicroService, heartbeat: HeartbeatLoop, replaying: Task<Void, Never>?, drainTimeout: Duration) {
        self.drainTimeout = drainTimeout
        self.context = context
        self.service = service
        self.heartbeat = heartbeat
        self.replaying = replaying
    }

    /// Registers and starts serving. In order: validate, connect with the registration credentials, REGISTER,
    /// close that connection, connect with the agent credentials, attach the runtime, create the service and
    /// every endpoint, flush (so the server knows every subscription), publish the first heartbeat, start the
    /// heartbeat loop and replay `existing_state` in the background. Anything made before a failure is
    /// released again, so `run` can simply be retried.
    static func establish(
        runtime: any NexletRuntime, options: NexletRunnerOptions, agentID: String, nodeID: String, nexus: String,
        registration: NatsConnectOptions, identity: KeyPair
    ) async throws -> AgentSession {
        let info = runtime.registration
        try info.validate()
        for (role, value) in [("agent id", agentID), ("node id", nodeID), ("nexus", nexus)] {
            do {
                try SubjectToken.validate(value, as: role)
            } catch {
                throw NexletRunnerError.invalidIdentifier(error.description)
            }
        }
        var logger = options.logger
        logger[metadataKey: "agent_id"] = "\(agentID)"
        logger[metadataKey: "nexlet"] = "\(info.name)"

        let registrationConnection = try await connect(registration, purpose: "registration")
        let response: RegisterAgentResponse
        let ownSubjects: Bool
        do {
            (response, ownSubjects) = try await RegistrationClient.register(
                on: registrationConnection, nodeID: nodeID, agentID: agentID, request: info.request, identity: identity,
                headers: SealedPayloads.registerHeaders(for: runtime), timeout: options.registrationTimeout)
            await registrationConnection.close()
        } catch {
            await registrationConnection.close()
            throw error
        }

        let agentOptions = try response.connectionData.connectOptions(
            defaultName: options.connectionName, fallbackServers: registration.servers, connectTimeout: options.connectTimeout)
        let connection = try await connect(agentOptions, purpose: "agent")
        let emitter = options.events.emitter(for: connection, logger: logger)
        let triggers = TriggerRegistry(
            emitter: emitter, connectionName: options.connectionName, fallbackServers: agentOptions.servers,
            connectTimeout: options.connectTimeout, drainTimeout: options.triggerDrainTimeout, logger: logger)
        let host = NexletHost(
            agentID: agentID, nodeID: nodeID, nexus: nexus, registerType: info.registerType, logger: logger,
            connection: connection, emitter: emitter, triggers: triggers)
        let context = AgentContext(
            runtime: runtime, registration: info, agentID: agentID, nodeID: nodeID, nexus: nexus, connection: connection,
            host: host, triggers: triggers, ingressHostIP: options.ingressHostIP, logger: logger)

        await runtime.attach(to: host)
        var service: MicroService?
        do {
            let created: MicroService
            do {
                created = try MicroService(connection: connection, name: info.name, version: info.version)
            } catch {
                throw NexletRunnerError.serviceFailed("micro service \(info.name) \(info.version): \(error)")
            }
            service = created
            try AgentEndpoints(context: context, ownSubjects: ownSubjects).install(on: created)
            do {
                try await connection.flush()
            } catch {
                throw NexletRunnerError.serviceFailed("the server did not confirm the endpoints: \(error)")
            }
            try Task.checkCancellation()
            // The endpoints exist on the server before the node hears the first heartbeat.
            await context.publishHeartbeat()
            let heartbeat = HeartbeatLoop()
            heartbeat.start(interval: options.heartbeatInterval) { await context.publishHeartbeat() }
            let replaying = replay(response.existingState ?? [:], context: context)
            logger.info("nexlet registered", metadata: ["node_id": "\(nodeID)", "type": "\(info.registerType)"])
            return AgentSession(
                context: context, service: created, heartbeat: heartbeat, replaying: replaying, drainTimeout: options.requestDrainTimeout)
        } catch {
            await service?.stop()
            await triggers.close()
            await runtime.detach()
            await connection.close()
            throw error
        }
    }

    /// How many persisted workloads are replayed at once: starts spend most of their time waiting (spawn,
    /// pipes, records), so a few in flight keep both the cores and the nexlet busy.
    static let replayWidth = 16

    /// Replays each persisted workload (`replayed = true`) in the background, `replayWidth` at a time
    /// (in id order).
    private static func replay(_ stored: [String: AgentStartWorkloadRequest], context: AgentContext) -> Task<Void, Never>? {
        guard !stored.isEmpty else { return nil }
        context.logger.info("replaying workloads", metadata: ["count": "\(stored.count)"])
        return Task {
            await withTaskGroup(of: Void.self) { group in
                var pending = stored.sorted(by: { $0.key < $1.key })[...]
                func next() -> Bool {
                    guard !Task.isCancelled, let (workloadID, request) = pending.popFirst() else { return false }
                    group.addTask {
                        do {
                            _ = try await context.startWorkload(workloadID: workloadID, request: request, replayed: true)
                        } catch {
                            context.logger.error("cannot replay a workload", metadata: ["workload": "\(workloadID)", "error": "\(error)"])
                        }
                    }
                    return true
                }
                for _ in 0..<replayWidth {
                    guard next() else { break }
                }
                for await _ in group { _ = next() }
            }
        }
    }

    private static func connect(_ options: NatsConnectOptions, purpose: String) async throws -> NatsConnection {
        do {
            return try await NatsConnection.connect(options)
        } catch {
            throw NexletRunnerError.connectionFailed(purpose: purpose, servers: options.servers, reason: "\(error)")
        }
    }

    /// Waits until the background replay has finished.
    func waitUntilReplayed() async {
        await replaying?.value
    }

    /// Stops heartbeats (a last one says `stopping`), replay, the service (it stops taking requests and
    /// waits up to `requestDrainTimeout` for the ones in flight, then cancels them:
    /// ``MicroService/drain(timeout:cancellationGrace:)``),
    /// the triggers, detaches the runtime and drains the connection.
    func stop() async {
        context.markStopping()
        await heartbeat.stop()
        replaying?.cancel()
        await replaying?.value
        await context.publishHeartbeat()
        await service.drain(timeout: drainTimeout)
        await context.triggers.close()
        await context.runtime.detach()
        await context.connection.drain()
        context.logger.info("nexlet stopped")
    }
}
