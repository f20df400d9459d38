import CoreMetrics
import Foundation
import Logging
import Minter
import NATSKit
import NATSSubjects
import NexProtocol
import ServiceLifecycle
import Synchronization

/// A nex node: auctions workloads to its nexlets, deploys, stops, clones and lists them, supervises local
/// nexlets and keeps desired workloads in the state store.
///
/// Two ways to run it: as a swift-service-lifecycle `Service` in a `ServiceGroup` (``run()``: graceful shutdown
/// stops it, and it returns when it stopped on its own after lameduck), or by hand: give it a connection,
/// ``start()`` it and ``waitForShutdown()``; ``shutdown()`` (or a lameduck request) ends it.
///
/// Stop order (``shutdown()``): (1) stop taking work: the state becomes `stopping` (auctions are declined, a
/// deploy on a bid of this node is refused with `400 node is stopping`; other requests are still answered);
/// (2) finish the requests in flight: wait until none runs, then unsubscribe the control plane's endpoints and
/// let what they had already received finish, all within ``NodeOptions/drainTimeout`` (at least 0.5 s for the
/// unsubscribing), then cancel what still runs; (3) stop the agents (embedded runners, local nexlet processes); (4) publish the last heartbeat (`stopping`)
/// and `NODESTOPPED`, and flush the connection. The caller then closes the connection and stops the NATS server
/// if it started one (the CLI's service group does both, in that order).
public final class NexNode: Sendable {
    /// Why a node stopped.
    public enum ShutdownReason: Sendable, Equatable {
        case requested
        case lameduck
    }

    let core: NodeCore
    private let control: Mutex<ControlPlane?> = Mutex(nil)
    private let background = Mutex<[Task<Void, Never>]>([])
    private let agents: AgentSupervision
    private let finished = Mutex<(reason: ShutdownReason?, waiters: [CheckedContinuation<ShutdownReason, Never>])>((nil, []))
    /// The shutdown, once one began (whoever asked first runs it; everyone else awaits it).
    private let stopping = Mutex<Task<Void, Never>?>(nil)
    /// Set by cancellation of ``run()``: the shutdown does not wait for requests in flight.
    private let hurried = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let lameduckRequested = Atomic<Bool>(false)
    // issue 14: quotas
    /// The renewal and sweep of quota leases.
    private let quotaUpkeep = Mutex<Task<Void, Never>?>(nil)
    /// Set by ``haltQuotaUpkeep()``: the shutdown leaves the leases as a crashed node would.
    private let quotaHalted = Atomic<Bool>(false)

    /// Validates the options (all problems reported together) and derives the node's identity.
    public init(connection: NatsConnection, options: NodeOptions) throws {
        var problems: [String] = []
        if options.agentRestartLimit < 0 { problems.append("agent restart limit must be non-negative") }
        do { try NexTag.validateUserTags(options.tags) } catch { problems.append("\(error)") }
        for (role, name) in [("nexus", options.nexus)] where !SubjectToken.isValid(name) {
            problems.append("\(role) \"\(name)\" must be a single subject token")
        }
        if options.auctionTTL <= .zero { problems.append("auction TTL must be positive") }
        // issue 12: agent identity
        for key in options.remoteAgentTrust {
            let signer = try? KeyPair(publicKey: key)
            if signer == nil || signer?.type == .curve {
                problems.append("remote agent trust \"\(key)\" is not a public signing nkey (U…, N…, A…, O… or C…)")
            }
        }
        let identity: NodeIdentity?
        do {
            identity = try NodeIdentity(nodeSeed: options.nodeSeed, xkeySeed: options.xkeySeed)
        } catch {
            problems.append("\(error)")
            identity = nil
        }
        guard problems.isEmpty, let identity else { throw NodeOptionsError(problems: problems) }
        var options = options
        // issue 14: metrics. The store's own operations are timed (beneath the sealing, which is not KV work).
        let metrics = NodeMetrics(factory: options.metricsFactory, version: options.version)
        let store: any WorkloadStateStore = options.state is NoWorkloadState
            ? options.state : MeasuredWorkloadState(inner: options.state, metrics: metrics)
        options.state = SealedWorkloadState(inner: store, seal: identity.stateSeal, logger: options.logger)
        core = NodeCore(options: options, identity: identity, connection: connection, metrics: metrics)
        agents = AgentSupervision(core: core)
    }

    /// The node id: the public key of its server nkey (`N…`).
    public var id: String { core.id }
    /// The node's public xkey (`X…`).
    public var xkey: String { core.identity.xkey }
    public var state: NodeState { core.state }
    public var tags: NodeTags { core.tags }
    /// Whether ``start()`` made the control plane (issue 14: readiness).
    var hasControlPlane: Bool { control.withLock { $0 != nil } }
    /// How many live nodes of the nexus this node knows of, itself included (from node heartbeats; what it sends
    /// as `Nex-Nexus-Size`).
    public var knownNexusSize: Int { core.peers.nexusSize() }

    /// Starts the control plane, the heartbeat, and the embedded and local nexlets; returns when the node
    /// is `running` (every nexlet registered or given up).
    public func start() async throws {
        started.store(true, ordering: .releasing)
        if let warning = core.options.minter.securityWarning {
            core.logger.warning("\(warning)")
        }
        if core.options.allowRemoteAgentRegistration && core.options.remoteAgentTrust.isEmpty {
            core.logger.warning("remote agent registration is allowed but no --remote-agent-trust key is set: every RREGISTER will be refused")
        }
        core.markStarted()
        core.logger.info("starting nex node", metadata: [
            "node_id": "\(core.id)", "name": "\(core.options.name)", "nexus": "\(core.nexus)", "version": "\(core.options.version)",
        ])
        // issue 14: stamp this node's liveness and drop the leases of an earlier run with this node id; its agents
        // count the workloads they take back again.
        if let quotas = core.options.quotas {
            do {
                try await quotas.renew(nodeID: core.id, name: core.options.name)
                try await quotas.releaseAll(of: core.id, retire: false)
            } catch {
                core.logger.warning("cannot reach the quota bucket; deploys are refused until it answers", metadata: ["error": "\(error)"])
            }
        }
        await ensureFeedHistory()
        let plane = try ControlPlane(core: core) { [weak self] delay in
            await self?.lameduck(after: delay, plane: nil)
        }
        try plane.start()
        control.withLock { $0 = plane }
        try watchPeers()
        try watchWorkloadEnds()
        // issue 14: metrics. Only when something counts (it decodes every WORKLOADSTARTED of the nexus).
        if !(core.options.metricsFactory is NOOPMetricsHandler) { try watchWorkloadStarts() }
        core.options.emitter.emit(NexNodeStartedEvent(id: core.id, name: core.options.name, nexus: core.nexus, tags: core.tags), from: core.id)
        startBackgroundWork()
        await agents.startAll()
        if core.registry.count == 0 {
            core.logger.warning("nex node started without any agents")
        }
        try await core.connection.flush()
        if !core.isLameduck { core.setState(.running) }
        core.logger.info("nex node ready", metadata: ["agents": "\(core.registry.count)"])
    }

    /// Creates the history streams of logs and events, or brings them to this node's limits (decisions §13). Never
    /// fails the start: without JetStream, or with streams it cannot change, the feeds stay live-only and the
    /// node says so.
    private func ensureFeedHistory() async {
        guard let history = core.options.feedHistory else { return }
        let logger = core.logger
        let js: JetStream
        do {
            js = try JetStream(core.connection)
        } catch {
            logger.warning("log and event history is off: \(error)")
            return
        }
        for config in [history.logStream, history.eventStream] {
            do {
                switch try await js.ensureStream(config) {
                case .created:
                    logger.info("created history stream", metadata: ["stream": "\(config.name)"])
                case .updated(let changes):
                    logger.info("updated history stream", metadata: ["stream": "\(config.name)", "changed": "\(changes.joined(separator: ","))"])
                case .unchanged:
                    break
                case .keptIncompatible(let reason):
                    logger.warning("kept history stream as it is", metadata: ["stream": "\(config.name)", "reason": "\(reason)"])
                }
            } catch let error as NatsError where error.kind == .jetStreamUnavailable {
                logger.warning("log and event history is off: the NATS server has no JetStream for this account; logs and events are live only")
                return
            } catch let error as NatsError where error.kind == .timeout {
                // One wait is enough: the next stream would wait as long.
                logger.warning("cannot create or update history streams: JetStream did not answer", metadata: ["error": "\(error)"])
                return
            } catch {
                logger.warning("cannot create or update history stream", metadata: ["stream": "\(config.name)", "error": "\(error)"])
            }
        }
    }

    /// Stops the node in the order the type's documentation gives (requests, requests in flight, agents, last
    /// heartbeat and events). Idempotent: a second call waits for the first shutdown to finish.
    public func shutdown() async {
        await shutdown(reason: lameduckRequested.load(ordering: .acquiring) ? .lameduck : .requested)
    }

    /// Waits until the node has shut down and says why.
    public func waitForShutdown() async -> ShutdownReason {
        await withCheckedContinuation { continuation in
            let reason = finished.withLock { state -> ShutdownReason? in
                if let reason = state.reason { return reason }
                state.waiters.append(continuation)
                return nil
            }
            if let reason { continuation.resume(returning: reason) }
        }
    }

    /// Why the node stopped; nil while it has not.
    public var shutdownReason: ShutdownReason? { finished.withLock { $0.reason } }

    private func shutdown(reason: ShutdownReason) async {
        let task = stopping.withLock { current -> Task<Void, Never> in
            if let current { return current }
            let task = Task { await self.stop(reason: reason) }
            current = task
            return task
        }
        if hurried.load(ordering: .acquiring) { task.cancel() }
        await task.value
    }

    /// Cancels a shutdown in progress (or starts one that is cancelled from the beginning): requests in
    /// flight are cancelled instead of awaited, and the remaining steps run without waiting for grace periods.
    private func hurry() {
        hurried.store(true, ordering: .releasing)
        if let task = stopping.withLock({ $0 }) {
            task.cancel()
        } else {
            Task { await self.shutdown() }
        }
    }

    private func stop(reason: ShutdownReason) async {
        // 1. Stop taking work: from here on deploys are refused with `400 node is stopping` and auctions declined,
        // while the endpoints still answer (a client hears the refusal instead of waiting for silence).
        core.setState(.stopping)
        core.logger.info("stopping nex node", metadata: ["reason": "\(reason)"])
        if let plane = control.withLock({ $0 }) {
            // 2. Finish the requests in flight (bounded), then unsubscribe every endpoint, let what was already
            // delivered finish within what is left of the bound, and cancel the rest.
            let deadline = ContinuousClock.now + core.options.drainTimeout
            _ = await plane.waitUntilIdle(timeout: core.options.drainTimeout)
            let cancelled = await plane.drain(timeout: max(deadline - ContinuousClock.now, .milliseconds(500)))
            if cancelled > 0 {
                core.logger.warning("cancelled requests still in flight at shutdown", metadata: [
                    "requests": "\(cancelled)", "drain_timeout": "\(core.options.drainTimeout)",
                ])
            }
        }
        // 3. Stop the agents.
        await agents.stopAll()
        // issue 14: the node drained: release its quota leases and its liveness key.
        quotaUpkeep.withLock { $0 }?.cancel()
        if let quotas = core.options.quotas, !quotaHalted.load(ordering: .acquiring) {
            do {
                try await quotas.releaseAll(of: core.id, retire: true)
            } catch {
                core.logger.warning("failed to release quota leases at shutdown; they expire with the lease TTL", metadata: ["error": "\(error)"])
            }
        }
        // 4. The last heartbeat and events, flushed before the caller closes the connection.
        publishHeartbeat(stopping: true)
        core.options.emitter.emit(NexNodeStoppedEvent(id: core.id), from: core.id)
        for task in background.withLock({ $0 }) { task.cancel() }
        try? await core.connection.flush(timeout: .seconds(2))
        core.logger.info("nex node stopped", metadata: ["uptime": "\(core.uptime)"])
        let waiters = finished.withLock { state -> [CheckedContinuation<ShutdownReason, Never>] in
            state.reason = reason
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Lameduck: no more bids (already set by the handler), agents told, shutdown after `delay`.
    private func lameduck(after delay: GoDuration, plane: ControlPlane?) async {
        lameduckRequested.store(true, ordering: .releasing)
        _ = core.enterLameduck()
        let when = GoTime.now().adding(delay)
        core.options.emitter.emit(NexNodeLameduckSetEvent(id: core.id, time: when), from: core.id)
        if let control = control.withLock({ $0 }) {
            await control.lameduckAgents(delay: delay)
        }
        let task = Task { [weak self] in
            try? await Task.sleep(for: delay.duration)
            await self?.shutdown(reason: .lameduck)
        }
        _ = task
    }

    /// Counts restarts of workloads (see ``NodeCore/watchWorkloadStarts()``).
    private func watchWorkloadStarts() throws { keepUntilShutdown(try core.watchWorkloadStarts()) }

    /// Forgets workloads that ended on their own (see ``NodeCore/watchWorkloadEnds()``).
    private func watchWorkloadEnds() throws { keepUntilShutdown(try core.watchWorkloadEnds()) }

    /// Holds a subscription until the node stops.
    private func keepUntilShutdown(_ subscription: NatsSubscription) {
        let keeper = Task {
            await withTaskCancellationHandler {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            } onCancel: {
                subscription.unsubscribe()
            }
        }
        background.withLock { $0.append(keeper) }
    }

    // MARK: Background work

    private func startBackgroundWork() {
        let interval = core.options.heartbeatInterval
        let heartbeat = Task { [weak self] in
            while !Task.isCancelled {
                self?.publishHeartbeat(stopping: false)
                try? await Task.sleep(for: interval)
            }
        }
        let sweep = Task { [weak self, core] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval / 2)
                guard self != nil else { return }
                for pruned in core.registry.prune(offlineFor: .seconds(30)) {
                    core.logger.warning("pruned offline nexlet", metadata: ["agent_id": "\(pruned.id)", "type": "\(pruned.registerType)"])
                }
            }
        }
        // issue 14: metrics. Reconnects and disconnects of the node's connection.
        let connectionEvents = Task { [core] in
            for await event in core.connection.events() { core.metrics.connectionEvent(event) }
        }
        background.withLock { $0 += [heartbeat, sweep, connectionEvents] }
        // issue 14: renew this node's quota leases and drop expired ones, three times per lease TTL.
        if let quotas = core.options.quotas {
            let period = quotas.leaseTTL / 3
            let upkeep = Task { [weak self, core] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: period)
                    guard self != nil, !Task.isCancelled else { return }
                    await core.quotaRound()
                }
            }
            quotaUpkeep.withLock { $0 = upkeep }
        }
    }

    /// Stops renewing quota leases and makes the shutdown leave them, as a crashed node would (tests).
    /// Returns once a round in progress has finished, so nothing of this node writes the bucket afterwards.
    package func haltQuotaUpkeep() async {
        quotaHalted.store(true, ordering: .releasing)
        let upkeep = quotaUpkeep.withLock { $0 }
        upkeep?.cancel()
        await upkeep?.value
    }

    /// `$NEX.SVC.system.control.HEARTBEAT.<nodeId>` with `{"registrations": …}`; the last one of a stopping
    /// node carries `Nex-Node-State: stopping` so peers stop counting it at once.
    private func publishHeartbeat(stopping: Bool) {
        guard let payload = try? GoJSON.encode(NodeHeartbeat(agents: core.registry.heartbeatSummary)) else { return }
        var headers = NatsHeaders()
        if stopping { headers.set(NexHeader.nodeState, NodeState.stopping.rawValue) }
        try? core.connection.publish(NexSubject.nodeHeartbeat(nodeID: core.id), payload: payload, headers: headers)
    }

    /// Tracks the other nodes through their heartbeats. A node greets a newcomer with a heartbeat of its
    /// own at once, so a new node knows the whole nexus within a round trip instead of a heartbeat period.
    private func watchPeers() throws {
        let peers = core.peers
        let subscription = try core.connection.subscribe(NexSubscription.nodeHeartbeats) { [weak self] message in
            guard let nodeID = message.subject.split(separator: ".").last.map(String.init) else { return }
            if message.headers[NexHeader.nodeState] == NodeState.stopping.rawValue {
                peers.forget(nodeID)
            } else if peers.heard(from: nodeID) {
                self?.publishHeartbeat(stopping: false)
            }
        }
        keepUntilShutdown(subscription)
    }
}

extension NexNode: Service {
    /// Runs the node as a swift-service-lifecycle `Service`: starts it (unless ``start()`` was called before),
    /// then waits. Graceful shutdown of the group calls ``shutdown()``; the node also stops on its own after a
    /// lameduck delay. Either way `run()` returns once the node has stopped (so give it
    /// `successTerminationBehavior: .gracefullyShutdownGroup`, and a lameduck stop shuts down the rest of the
    /// group). Cancellation hurries the shutdown: requests in flight are cancelled at once instead of awaited,
    /// and `run()` still returns only after the remaining steps ran.
    public func run() async throws {
        if !started.load(ordering: .acquiring) { try await start() }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                _ = await waitForShutdown()
            } onGracefulShutdown: {
                Task { await self.shutdown() }
            }
        } onCancel: {
            hurry()
        }
    }
}
