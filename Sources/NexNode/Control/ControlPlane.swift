import NATSKit
import NexProtocol

/// The `nexnode` micro service: every endpoint of protocol.md §1.1 with its queue group, handled
/// concurrently (each waiting request in its own task, tracked by the service until it is answered).
final class ControlPlane: Sendable {
    let core: NodeCore
    let service: MicroService
    let onLameduck: @Sendable (GoDuration) async -> Void

    init(core: NodeCore, onLameduck: @escaping @Sendable (GoDuration) async -> Void) throws {
        self.core = core
        self.onLameduck = onLameduck
        service = try MicroService(
            connection: core.connection, name: NexConstants.nodeServiceName, version: core.options.version,
            description: "Commit: \(core.options.commit) | Build date: \(core.options.buildDate)")
    }

    /// Answers from memory run inline on the endpoint's delivery thread (no hand-off: the node answers pings,
    /// info and bids as fast as NATS delivers them); anything that waits runs in a task per request.
    private func inline(_ handler: @escaping @Sendable (ControlPlane, MicroRequest) -> Void) -> MicroService.Handler {
        .inline { [weak self] request in
            if let self { handler(self, request) }
        }
    }

    private func task(_ handler: @escaping @Sendable (ControlPlane, MicroRequest) async -> Void) -> MicroService.Handler {
        .task { [weak self] request in
            if let self { await handler(self, request) }
        }
    }

    /// Registers the endpoints (in the reference's order).
    func start() throws {
        let id = core.id
        var endpoints: [(name: String, subject: String, queue: String, handling: MicroService.Handler)] = [
            ("PingPlacementTags", NexSubscription.placementTags, id, inline { $0.handlePlacementTags($1) }),
            ("PingNexus", NexSubscription.ping, id, inline { $0.handlePing($1) }),
            ("PingNode", NexSubscription.pingNode(nodeID: id), id, inline { $0.handlePing($1) }),
            ("GetNodeInfo", NexSubscription.info(nodeID: id), id, inline { $0.handleInfo($1) }),
            ("SetLameduck", NexSubscription.lameduck(nodeID: id), id, task { await $0.handleLameduck($1) }),
            ("GetAgentIdByName", NexSubscription.agentID(nodeID: id), id, inline { $0.handleAgentID($1) }),
        ]
        if core.options.allowRemoteAgentRegistration {
            endpoints.append(("RegisterRemoteAgent", NexSubscription.remoteRegister(nexus: core.nexus), core.nexus, task { await $0.handleRemoteRegister($1) }))
        }
        endpoints += [
            ("RegisterAgent", NexSubscription.register(nodeID: id), id, task { await $0.handleRegister($1) }),
            ("AuctionRequest", NexSubscription.auction, id, inline { $0.handleAuction($1) }),
            ("StopWorkload", NexSubscription.undeploy, id, task { await $0.handleUndeploy($1) }),
            ("AuctionDeployWorkload", NexSubscription.auctionDeploy, id, task { await $0.measuredDeploy($1) }),
            ("CloneWorkload", NexSubscription.clone, id, task { await $0.handleClone($1) }),
            ("NamespacePingRequest", NexSubscription.workloadPing, id, task { await $0.handleWorkloadList($1) }),
        ]
        for (name, subject, queue, handling) in endpoints {
            try service.addEndpoint(name: name, subject: subject, queueGroup: queue, handling: handling)
        }
    }

    /// Waits up to `timeout` until no request is being handled (endpoints keep answering meanwhile).
    func waitUntilIdle(timeout: Duration) async -> Bool {
        await service.waitUntilIdle(timeout: timeout)
    }

    /// Stops taking requests and waits up to `timeout` for the ones in flight, then cancels them
    /// (``MicroService/drain(timeout:cancellationGrace:)``). Returns how many had to be cancelled.
    func drain(timeout: Duration) async -> Int {
        await service.drain(timeout: timeout)
    }
}

// issue 14: metrics
extension ControlPlane {
    /// ADEPLOY, counted and timed by how its answer ended (``DeployOutcome``, from the reply's status); a deploy
    /// the node stays silent on (not its bid, lameduck) is not counted.
    func measuredDeploy(_ request: MicroRequest) async {
        let started = ContinuousClock.now
        await handleDeploy(request)
        guard let status = request.replyStatus else { return }
        core.metrics.deployed(DeployOutcome(status: status), since: started)
    }
}
