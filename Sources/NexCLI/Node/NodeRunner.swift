#if os(Linux)
import Foundation
import Logging
import Minter
import NATSKit
import NexNode
import NexNodeHTTP
import NexProtocol
import ServiceLifecycle

/// Runs `node up`: NATS (connecting or starting a server), the node with its options and the ready line, then
/// one `ServiceGroup` (see NodeServices.swift) that shuts everything down in order on SIGINT/SIGTERM or after
/// lameduck. Returns the exit status: 0 for a clean or lameduck shutdown, `ExitStatus.interrupted` when a second
/// signal cancelled the shutdown.
struct NodeRunner: Sendable {
    let configuration: NodeUpConfiguration
    let settings: ResolvedSettings

    func run() async throws(CLIError) -> Int32 {
        let announce = Announcer(json: settings.bool(GlobalSettings.json))
        let sink = try NexLogging.bootstrap(settings, showWorkloadLogs: configuration.showWorkloadLogs)
        let logger = Logger(label: NexLogging.nodeLabel)
        // Trap signals first: a Ctrl-C while nats-server starts must not orphan it (it is handled once the
        // group runs).
        let signals = await SecondSignal(logger: logger)
        let connectionSettings = try ConnectionSettings(settings)
        let nats = try await NodeNats.establish(configuration, connection: connectionSettings, announce: announce)

        let node: NexNode
        // issue 14: metrics. A registry of this node's own (never swift-metrics' global bootstrap).
        let metrics = NodeMetricsRegistry()
        do {
            node = try await makeNode(nats: nats, logger: logger, metrics: metrics)
            sink.attach(connection: nats.connection, nodeID: node.id)
            try await node.start()
        } catch {
            sink.detach()
            await nats.close(announce: announce)
            if let error = error as? CLIError { throw error }
            throw CLIError("the node failed to start: \(error)")
        }
        announce.line(
            "Node \"\(configuration.name)\" is ready: id \(node.id), nexus \"\(configuration.nexus)\", NATS \(nats.url)",
            ["msg": "node ready", "id": node.id, "name": configuration.name, "nexus": configuration.nexus, "nats_url": nats.url])

        // Shut down in reverse order: trimmer, node, HTTP endpoint, connection, nats-server, signal watcher.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: signals)]
        if let server = nats.server {
            services.append(.init(service: NatsServerService(server: server, announce: announce)))
        }
        services.append(.init(service: NodeConnectionService(connection: nats.connection, sink: sink)))
        // issue 14: before the node, so it stops after it: it answers "not ready" while the node drains.
        if let address = configuration.httpAddress {
            // Sandboxed workloads share loopback: they get 403, not the metrics (which name namespaces).
            let workloadUIDs = configuration.workloadsAsNodeUser || configuration.disableNativeStart ? nil : configuration.workloadUIDRange
            services.append(.init(service: NodeHTTPService(
                node: node, address: address, metrics: metrics, logger: logger, refusingUIDs: workloadUIDs)))
        }
        services += [
            // The node returns on its own after lameduck: that shuts the group down.
            .init(service: node, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: HeapTrimmer(interval: .seconds(5))),
        ]
        // No `gracefulShutdownSignals`: `SecondSignal` is the one handler of SIGINT/SIGTERM (it also holds the
        // signals that came before the group ran).
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        signals.group.set(group)
        do {
            try await group.run()
        } catch is SecondSignal.Received {
            return ExitStatus.interrupted
        } catch {
            throw CLIError("the node stopped with an error: \(error)")
        }
        let reason = node.shutdownReason ?? .requested
        announce.line("Node \"\(configuration.name)\" stopped (\(reason == .lameduck ? "lameduck" : "shutdown requested"))",
                      ["msg": "node stopped", "id": node.id, "reason": reason == .lameduck ? "lameduck" : "requested"])
        return ExitStatus.success
    }

    /// The nexus's quota bucket. Without JetStream there can be no quotas (`nex quota set` needs the bucket): the
    /// node warns and enforces none. Any other failure stops the start, so a node never runs unchecked beside
    /// nodes that enforce quotas.
    private func openQuotas(nats: NodeNats, logger: Logger) async throws -> QuotaBook? {
        do {
            return try await QuotaBook.open(
                connection: nats.connection, nexus: configuration.nexus, replicas: configuration.stateReplicas,
                leaseTTL: configuration.quotaLeaseTTL.duration)
        } catch let error as NatsError where error.kind == .noResponders {
            logger.warning("JetStream is not available: namespace quotas are not enforced by this node")
            return nil
        } catch {
            throw CLIError("cannot open the quota bucket \(QuotaBook.bucket(nexus: configuration.nexus)) (\(error))",
                           hint: "does the NATS user of the node have JetStream access?")
        }
    }

    private func makeNode(nats: NodeNats, logger: Logger, metrics: NodeMetricsRegistry) async throws -> NexNode {
        var options = NodeOptions()
        // Without the endpoint nobody reads the metrics: the node then counts nothing (swift-metrics' no-op factory).
        if configuration.httpAddress != nil { options.metricsFactory = metrics.factory }
        options.name = configuration.name
        options.nexus = configuration.nexus
        options.version = NexVersion.current
        options.nodeSeed = configuration.nodeSeed
        options.xkeySeed = configuration.xkeySeed
        options.tags = configuration.tags
        options.allowRemoteAgentRegistration = configuration.allowRemoteAgentRegistration
        options.agentRestartLimit = configuration.agentRestartLimit
        options.auctionTTL = configuration.auctionTTL.duration
        options.drainTimeout = configuration.drainTimeout.duration
        options.localAgents = configuration.agents
        options.logger = logger
        // issue 12: limits
        options.maxBidsPerNamespace = configuration.maxBidsPerNamespace
        // issue 12: agent identity
        options.allowLegacyNexlets = configuration.allowLegacyNexlets
        options.remoteAgentTrust = configuration.remoteAgentTrust
        // issue 14: node capacity and quotas
        options.maxWorkloads = configuration.maxWorkloads
        options.reserveMemory = configuration.reserveMemory
        options.quotas = try await openQuotas(nats: nats, logger: logger)
        // issue 14: log history
        options.feedHistory = configuration.feedHistory
        do {
            options.minter = try configuration.issuers.makeMinter(
                nodeID: configuration.nodeID, nexus: configuration.nexus, servers: nats.advertisedServers,
                validity: configuration.credentialLifetime.duration, legacyAgentInboxes: configuration.allowLegacyNexlets,
                artifactBuckets: configuration.artifactBuckets)
        } catch {
            throw CLIError("cannot set up credential minting: \(error)", hint: "check the --issuer-* flags", exitCode: ExitStatus.usage)
        }
        switch configuration.events {
        case "nats": options.emitter = NatsEventEmitter(connection: nats.connection)
        case "logs": options.emitter = LogEventEmitter(logger: Logger(label: NexLogging.eventGroup))
        default: break
        }
        if configuration.useKVState {
            do {
                options.state = try await KVWorkloadState.open(
                    connection: nats.connection, nodeID: configuration.nodeID, replicas: configuration.stateReplicas)
            } catch {
                throw CLIError("--state kv: cannot open the key-value bucket \(StateKey.bucket(nodeID: configuration.nodeID)) (\(error))",
                               hint: "does the NATS server have JetStream enabled?")
            }
        }
        if !configuration.disableNativeStart {
            do {
                // issue 12: limits. Owner-only before the native nexlet keeps its state and cache inside it.
                try PrivateFiles.makeDirectory(configuration.dataDirectory)
                options.embeddedAgents = try EmbeddedNexlets.native(
                    nexus: configuration.nexus, nodeID: configuration.nodeID, dataDirectory: configuration.dataDirectory,
                    showWorkloadLogs: configuration.showWorkloadLogs, logger: logger,
                    sandbox: EmbeddedNexlets.Sandbox(
                        workloadsAsNodeUser: configuration.workloadsAsNodeUser, uidRange: configuration.workloadUIDRange,
                        maxFunctionConcurrency: configuration.maxFunctionConcurrency),
                    allowedArtifactBuckets: configuration.allowedArtifactBuckets)
            } catch {
                throw CLIError("cannot set up the native nexlet: \(error)", hint: "check --data-dir, or run with --disable-native-start")
            }
        }
        do {
            return try NexNode(connection: nats.connection, options: options)
        } catch {
            throw CLIError("invalid node configuration: \(error)", exitCode: ExitStatus.usage)
        }
    }
}
#endif
