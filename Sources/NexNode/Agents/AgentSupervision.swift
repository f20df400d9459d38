import Foundation
import Logging
import Minter
import NexProtocol
import ProcessKit
import Synchronization

/// Starts and stops the node's own nexlets: embedded runners (retried with backoff up to the restart
/// limit) and local binaries (supervised child processes, restarted with backoff up to the limit; a
/// restarted process re-registers with the same id and replaces its old registration).
final class AgentSupervision: Sendable {
    private let core: NodeCore
    private let running = Mutex<(embedded: [(String, any EmbeddedAgentRunner)], local: [(String, String, ProcessSupervisor)])>(([], []))

    init(core: NodeCore) {
        self.core = core
    }

    /// Starts every configured nexlet and returns once each has registered or been given up.
    func startAll() async {
        await withTaskGroup(of: Void.self) { group in
            for runner in core.options.embeddedAgents {
                group.addTask { await self.startEmbedded(runner) }
            }
            for spec in core.options.localAgents {
                group.addTask { await self.startLocal(spec) }
            }
        }
    }

    func stopAll() async {
        let (embedded, local) = running.withLock { state in
            defer { state = ([], []) }
            return (state.embedded, state.local)
        }
        for (agentID, runner) in embedded {
            await runner.stop()
            stopped(agentID, name: runner.name)
        }
        for (agentID, name, supervisor) in local {
            _ = await supervisor.stop(grace: .seconds(5))
            stopped(agentID, name: name)
        }
    }

    private func stopped(_ agentID: String, name: String) {
        core.options.emitter.emit(AgentStoppedEvent(id: agentID, name: name, reason: "node shutdown", timestamp: .now()), from: core.id)
    }

    /// The environment of a local nexlet process: its configured variables and the `NEX_AGENT_*` ones.
    private func localEnvironment(
        _ spec: LocalAgentSpec, agentID: String, credentials: NatsConnectionData, identitySeed: String
    ) -> [String: String] {
        var environment = spec.env
        environment["NEX_AGENT_NATS_SERVERS"] = credentials.natsServers.joined(separator: ",")
        environment["NEX_AGENT_NATS_USER_SEED"] = credentials.natsUserSeed
        environment["NEX_AGENT_NATS_B64_JWT"] = Data(credentials.natsUserJWT.utf8).base64EncodedString()
        environment["NEX_AGENT_NATS_USER"] = credentials.natsUserName
        environment["NEX_AGENT_NATS_PASSWORD"] = credentials.natsUserPassword
        environment["NEX_AGENT_NATS_USER_NKEY"] = credentials.natsUserNkey
        environment["NEX_AGENT_NATS_INBOX_PREFIX"] = credentials.natsInboxPrefix
        environment["NEX_AGENT_NODE_ID"] = core.id
        environment["NEX_AGENT_ASSIGNED_ID"] = agentID
        environment[AgentProof.identitySeedVariable] = identitySeed
        if environment["PATH"] == nil { environment["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        return environment
    }

    private func registration(for agentID: String) -> NatsConnectionData? {
        do {
            return NatsConnectionData(try core.options.minter.mintRegistration(agentID: agentID, nodeID: core.id))
        } catch {
            core.logger.error("failed to mint registration credentials", metadata: ["agent_id": "\(agentID)", "error": "\(error)"])
            return nil
        }
    }

    private func startEmbedded(_ runner: any EmbeddedAgentRunner) async {
        let agentID = core.options.idGenerator()
        core.assign(agentID, origin: .embedded)
        guard let credentials = registration(for: agentID) else { return }
        let policy = RestartPolicy(maximumRestarts: core.options.agentRestartLimit)
        for attempt in 0...policy.maximumRestarts {
            if attempt > 0 {
                try? await Task.sleep(for: policy.delay(beforeRestart: attempt))
                core.metrics.agentRestarted(.embedded)
            }
            do {
                try await runner.run(agentID: agentID, nodeID: core.id, registration: credentials)
                running.withLock { $0.embedded.append((agentID, runner)) }
                return
            } catch {
                core.logger.error("embedded nexlet failed to start", metadata: ["name": "\(runner.name)", "attempt": "\(attempt + 1)", "error": "\(error)"])
            }
        }
        core.logger.error("gave up on embedded nexlet", metadata: ["name": "\(runner.name)", "agent_id": "\(agentID)"])
    }

    private func startLocal(_ spec: LocalAgentSpec) async {
        let agentID = core.options.idGenerator()
        core.assign(agentID, origin: .local)
        guard let credentials = registration(for: agentID) else { return }
        // issue 12: agent identity. The process (and every restart of it) proves it is this agent with a key
        // only it and the node know; the id is bound to that key before the process even starts.
        let identitySeed: String
        do {
            let identity = try KeyPair.generate(.user)
            identitySeed = identity.seed ?? ""
            core.identities.bind(agentID, to: identity.publicKey)
        } catch {
            core.logger.error("failed to make an identity key for a local nexlet", metadata: ["agent_id": "\(agentID)", "error": "\(error)"])
            return
        }
        let environment = localEnvironment(spec, agentID: agentID, credentials: credentials, identitySeed: identitySeed)

        let name = URL(fileURLWithPath: spec.path).lastPathComponent
        let logger = core.logger
        // issue 12: registration credentials are short-lived, so every restart gets fresh ones.
        let supervisor = ProcessSupervisor(
            spec: ProcessSpec(executablePath: spec.path, arguments: spec.argv, environment: environment),
            mode: .service(RestartPolicy(maximumRestarts: core.options.agentRestartLimit)),
            logSink: { line in
                let level: Logger.Level = line.stream == .stderr ? .error : .info
                logger.log(level: level, "\(line.text.trimmingCharacters(in: .newlines))", metadata: ["nexlet": "\(name)", "agent_id": "\(agentID)"])
            },
            respawn: { [weak self] first in
                self?.core.metrics.agentRestarted(.local)
                guard let self, let fresh = self.registration(for: agentID) else { return first }
                var next = first
                next.environment = self.localEnvironment(spec, agentID: agentID, credentials: fresh, identitySeed: identitySeed)
                return next
            })
        do {
            try await supervisor.start()
        } catch {
            logger.error("local nexlet could not be started", metadata: ["path": "\(spec.path)", "error": "\(error)"])
            return
        }
        running.withLock { $0.local.append((agentID, name, supervisor)) }
        // Wait until it registered, gave up, or a generous deadline passed; a nexlet that never registers
        // must not hang the node's start.
        let registry = core.registry
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, registry.record(agentID) == nil {
            if await supervisor.currentProcess == nil, await supervisor.restarts >= core.options.agentRestartLimit {
                logger.error("gave up on local nexlet", metadata: ["path": "\(spec.path)", "agent_id": "\(agentID)"])
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
