import Foundation
import Minter
import NATSKit
import NATSSubjects
import NexProtocol
import ServiceLifecycle

/// Runs a ``NexletRuntime`` as a nex agent: registers it with a node and does all NATS plumbing until
/// ``stop()``.
///
/// As a swift-service-lifecycle `Service` (``run()``) it registers as its ``registration`` says and serves until
/// the group shuts down: a nexlet executable puts it in a `ServiceGroup` with SIGINT/SIGTERM as graceful-shutdown
/// signals (a node stops its local agents with SIGINT). By hand, there are three ways in: ``run(agentID:nodeID:registration:)`` (embedded in a node, or anything that already has
/// an agent id and registration credentials), ``runFromEnvironment(_:)`` (a local agent process started by a
/// node), ``runRemote(bootstrap:nexus:)`` (a remote agent that asks the nexus for an id first). Each returns
/// once the agent is registered and serving; a failed attempt leaves nothing behind and may be retried.
public actor NexletRunner {
    /// The registration name of the runtime (the agent name).
    public nonisolated let name: String
    /// The runtime this runner serves.
    public nonisolated let runtime: any NexletRuntime
    public nonisolated let options: NexletRunnerOptions
    /// How ``run()`` registers (the `run…` methods ignore it).
    public nonisolated let registration: Registration

    /// How a runner run as a `Service` gets its agent id and registration credentials.
    public enum Registration: Sendable {
        /// A local agent process started by a node: `NEX_AGENT_*` (``runFromEnvironment(_:)``).
        case environment([String: String] = ProcessInfo.processInfo.environment)
        /// A remote agent asking the nexus for an id (``runRemote(bootstrap:nexus:trust:)``).
        case remote(bootstrap: NatsConnectOptions, nexus: String, trust: KeyPair? = nil)
        /// An id and credentials the caller already has (``run(agentID:nodeID:registration:)``).
        case assigned(agentID: String, nodeID: String, registration: NatsConnectionData)
    }

    private enum Phase {
        case idle
        case starting(Task<AgentSession, any Error>)
        case running(AgentSession)
        case stopping
    }

    private var phase = Phase.idle
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// The key this runner proves its agent identity with at REGISTER: made on first use and kept for the
    /// runner's life (a retried `run` is the same agent), or the one its environment or trust seed gives.
    private var identity: KeyPair?

    /// A runner for `runtime`; nothing happens until one of the `run` methods is called. `registration` is what
    /// ``run()`` (the `Service` entry) uses.
    public init(runtime: any NexletRuntime, options: NexletRunnerOptions = NexletRunnerOptions(), registration: Registration = .environment()) {
        self.runtime = runtime
        self.options = options
        self.registration = registration
        name = runtime.registration.name
    }

    // MARK: Entry points

    /// Registers as `agentID` with node `nodeID` using the registration credentials, then serves.
    public func run(agentID: String, nodeID: String, registration: NatsConnectionData) async throws {
        let registrationOptions = try registration.connectOptions(
            defaultName: options.connectionName, connectTimeout: options.connectTimeout)
        let (runtime, options, identity) = (self.runtime, self.options, try identityKey())
        try await launch {
            try await AgentSession.establish(
                runtime: runtime, options: options, agentID: agentID, nodeID: nodeID, nexus: options.nexus,
                registration: registrationOptions, identity: identity)
        }
    }

    /// Runs as a local agent process: reads `NEX_AGENT_*` (see ``NexletEnvironment``) and registers, proving
    /// its identity with `NEX_AGENT_IDENTITY_SEED` when the node gave one.
    public func runFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        let parsed = try NexletEnvironment(environment)
        if !parsed.identitySeed.isEmpty, case .idle = phase {
            identity = try KeyPair(seed: parsed.identitySeed)
        }
        try await run(agentID: parsed.agentID, nodeID: parsed.nodeID, registration: parsed.registration)
    }

    /// The identity key, made on first use.
    private func identityKey() throws -> KeyPair {
        if let identity { return identity }
        let made = try KeyPair.generate(.user)
        identity = made
        return made
    }

    /// Runs as a remote agent: with the operator-provided `bootstrap` connection asks the nexus for an agent
    /// id (`$NEX.SVC.<nexus>.agent.RREGISTER`, `{}`, 3 s), then registers with the node that answered using the
    /// returned `registration_creds` — or the bootstrap credentials when none were returned.
    ///
    /// `trust` is the operator's bootstrap key (its public key is on the node's `--remote-agent-trust` list);
    /// nil reads it from ``NexletEnvironment/remoteTrustKey(_:)``. It signs RREGISTER, and the REGISTER that
    /// follows (the node binds the assigned id to it). Without one, RREGISTER goes out unsigned (Go nodes).
    public func runRemote(bootstrap: NatsConnectOptions, nexus: String, trust: KeyPair? = nil) async throws {
        do {
            try SubjectToken.validate(nexus, as: "nexus")
        } catch {
            throw NexletRunnerError.invalidIdentifier(error.description)
        }
        let trust = try trust ?? NexletEnvironment.remoteTrustKey()
        if let trust, case .idle = phase { identity = trust }
        let (runtime, options, identity) = (self.runtime, self.options, try identityKey())
        try await launch {
            let bootstrapConnection: NatsConnection
            do {
                bootstrapConnection = try await NatsConnection.connect(bootstrap)
            } catch {
                throw NexletRunnerError.connectionFailed(purpose: "bootstrap", servers: bootstrap.servers, reason: "\(error)")
            }
            let assignment: RegisterRemoteAgentResponse
            do {
                assignment = try await RegistrationClient.remoteRegister(
                    on: bootstrapConnection, nexus: nexus, trust: trust, timeout: options.remoteRegistrationTimeout)
                await bootstrapConnection.close()
            } catch {
                await bootstrapConnection.close()
                throw error
            }
            let registration = try assignment.registrationCreds.map {
                try $0.connectOptions(
                    defaultName: options.connectionName, fallbackServers: bootstrap.servers,
                    connectTimeout: options.connectTimeout)
            } ?? bootstrap
            return try await AgentSession.establish(
                runtime: runtime, options: options, agentID: assignment.assignedAgentID, nodeID: assignment.respondTo,
                nexus: nexus, registration: registration, identity: identity)
        }
    }

    // MARK: Lifecycle

    private func launch(_ establish: @escaping @Sendable () async throws -> AgentSession) async throws {
        guard case .idle = phase else { throw NexletRunnerError.alreadyRunning }
        let task = Task { try await establish() }
        phase = .starting(task)
        let result = await task.result
        guard case .starting(let current) = phase, current == task else {
            // stop() came first; it owns the session (if any) and tears it down.
            throw NexletRunnerError.stoppedBeforeReady
        }
        switch result {
        case .success(let session):
            phase = .running(session)
        case .failure(let error):
            becomeIdle()
            throw error
        }
    }

    /// Stops heartbeats (no heartbeat is published after this returns), stops the service after in-flight
    /// requests, removes triggers, detaches the runtime and closes the connections. Stopping while `run` is
    /// still registering makes that `run` throw ``NexletRunnerError/stoppedBeforeReady``. Idempotent.
    public func stop() async {
        switch phase {
        case .idle:
            return
        case .stopping:
            await waitUntilStopped()
            return
        case .starting(let task):
            phase = .stopping
            task.cancel()
            if case .success(let session) = await task.result { await session.stop() }
        case .running(let session):
            phase = .stopping
            await session.stop()
        }
        becomeIdle()
    }

    /// Returns once the runner is not running (never started, stopped, or its `run` failed).
    public func waitUntilStopped() async {
        if case .idle = phase { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    private func becomeIdle() {
        phase = .idle
        let waiters = idleWaiters
        idleWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    // MARK: State

    /// True while registered and serving.
    public var isRunning: Bool {
        if case .running = phase { return true }
        return false
    }

    /// The agent id of the current registration.
    public var agentID: String? { session?.context.agentID }
    /// The node of the current registration.
    public var nodeID: String? { session?.context.nodeID }

    /// Waits until the background replay of `existing_state` has finished (at once when not running).
    public func waitUntilReplayed() async {
        await session?.waitUntilReplayed()
    }

    private var session: AgentSession? {
        if case .running(let session) = phase { return session }
        return nil
    }
}

extension NexletRunner: Service {
    /// Registers as ``registration`` says, serves until the group's graceful shutdown (or cancellation), then
    /// ``stop()``s and returns. Throws when the registration fails; cancelled while registering, it stops and
    /// throws ``NexletRunnerError/stoppedBeforeReady``.
    public nonisolated func run() async throws {
        try await withTaskCancellationHandler {
            switch registration {
            case .environment(let environment):
                try await runFromEnvironment(environment)
            case .remote(let bootstrap, let nexus, let trust):
                try await runRemote(bootstrap: bootstrap, nexus: nexus, trust: trust)
            case .assigned(let agentID, let nodeID, let credentials):
                try await run(agentID: agentID, nodeID: nodeID, registration: credentials)
            }
        } onCancel: {
            Task { await self.stop() }
        }
        try? await gracefulShutdown()
        await stop()
    }
}
