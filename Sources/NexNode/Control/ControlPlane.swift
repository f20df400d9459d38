import NATSKit
import NexProtocol

/// The `nexnode` micro service: every endpoint of protocol.md §1.1 with its queue group, handled
/// concurrently (each request in its own task).
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

    /// Registers the endpoints (in the reference's order).
    func start() throws {
        let id = core.id
        typealias Handler = @Sendable (ControlPlane, MicroRequest) async -> Void
        var endpoints: [(name: String, subject: String, queue: String, handler: Handler)] = [
            ("PingPlacementTags", NexSubscription.placementTags, id, { await $0.handlePlacementTags($1) }),
            ("PingNexus", NexSubscription.ping, id, { await $0.handlePing($1) }),
            ("PingNode", NexSubscription.pingNode(nodeID: id), id, { await $0.handlePing($1) }),
            ("GetNodeInfo", NexSubscription.info(nodeID: id), id, { await $0.handleInfo($1) }),
            ("SetLameduck", NexSubscription.lameduck(nodeID: id), id, { await $0.handleLameduck($1) }),
            ("GetAgentIdByName", NexSubscription.agentID(nodeID: id), id, { await $0.handleAgentID($1) }),
        ]
        if core.options.allowRemoteAgentRegistration {
            endpoints.append(("RegisterRemoteAgent", NexSubscription.remoteRegister(nexus: core.nexus), core.nexus, { await $0.handleRemoteRegister($1) }))
        }
        let userEndpoints: [(name: String, subject: String, queue: String, handler: Handler)] = [
            ("RegisterAgent", NexSubscription.register(nodeID: id), id, { await $0.handleRegister($1) }),
            ("AuctionRequest", NexSubscription.auction, id, { await $0.handleAuction($1) }),
            ("StopWorkload", NexSubscription.undeploy, id, { await $0.handleUndeploy($1) }),
            ("AuctionDeployWorkload", NexSubscription.auctionDeploy, id, { await $0.handleDeploy($1) }),
            ("CloneWorkload", NexSubscription.clone, id, { await $0.handleClone($1) }),
            ("NamespacePingRequest", NexSubscription.workloadPing, id, { await $0.handleWorkloadList($1) }),
        ]
        endpoints += userEndpoints
        for (name, subject, queue, handler) in endpoints {
            try service.addEndpoint(name: name, subject: subject, queueGroup: queue) { [weak self] request in
                guard let self else { return }
                await handler(self, request)
            }
        }
    }

    func stop() async {
        await service.stop()
    }
}
