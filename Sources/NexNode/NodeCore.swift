import Foundation
import Logging
import NATSKit
import NexProtocol
import Synchronization

/// The node's shared state, read by every handler. Mutable parts sit behind one lock each.
final class NodeCore: Sendable {
    struct Lifecycle: Sendable {
        var state: NodeState = .starting
        var lameduck = false
        var startTime: GoTime = .zero
        var startInstant: ContinuousClock.Instant = .now
    }

    let options: NodeOptions
    let identity: NodeIdentity
    let connection: NatsConnection
    let registry: AgentRegistry
    let bids: BidBook
    let peers: PeerTracker
    let placements: WorkloadPlacements
    let logger: Logger
    // issue 14: metrics
    let metrics: NodeMetrics
    // issue 12: agent identity
    /// Agent ids bound to their keys, and the registration proofs already used.
    let identities = AgentIdentities()
    // issue 14: node capacity
    let capacity: NodeCapacity
    private let lifecycle = Mutex(Lifecycle())
    private let origins = Mutex<[String: AgentOrigin]>([:])
    private let userTags: NodeTags

    init(options: NodeOptions, identity: NodeIdentity, connection: NatsConnection, metrics: NodeMetrics) {
        self.options = options
        self.metrics = metrics
        self.identity = identity
        self.connection = connection
        registry = AgentRegistry(heartbeatInterval: options.heartbeatInterval)
        bids = BidBook(ttl: options.auctionTTL, namespaceLimit: options.maxBidsPerNamespace)
        peers = PeerTracker(selfID: identity.id, horizon: options.heartbeatInterval * 3)
        placements = WorkloadPlacements()
        capacity = NodeCapacity(maxWorkloads: options.maxWorkloads, reserveMemory: options.reserveMemory, hostMemory: options.hostMemory)
        var logger = options.logger
        logger[metadataKey: "node"] = "\(identity.id.prefix(8))"
        self.logger = logger
        userTags = options.tags
    }

    var id: String { identity.id }
    var nexus: String { options.nexus }

    var state: NodeState { lifecycle.withLock { $0.state } }
    var isLameduck: Bool { lifecycle.withLock { $0.lameduck } }
    var startTime: GoTime { lifecycle.withLock { $0.startTime } }
    var uptime: GoDuration { GoDuration(ContinuousClock.now - lifecycle.withLock { $0.startInstant }) }

    func markStarted() {
        lifecycle.withLock {
            $0.startTime = .now()
            $0.startInstant = .now
        }
    }

    func setState(_ state: NodeState) {
        lifecycle.withLock { $0.state = state }
    }

    /// Enters lameduck; returns false when it already was.
    func enterLameduck() -> Bool {
        lifecycle.withLock { lifecycle in
            if lifecycle.lameduck { return false }
            lifecycle.lameduck = true
            if lifecycle.state == .running || lifecycle.state == .starting { lifecycle.state = .lameduck }
            return true
        }
    }

    /// User tags plus the reserved `nex.*` tags (Go spellings).
    var tags: NodeTags {
        var tags = NexTag.reservedTags(nexus: options.nexus, nodeName: options.name, lameduck: isLameduck)
        for (key, value) in userTags { tags[key] = value }
        return tags
    }

    /// `Nex-Nexus-Size: <n>`: carried by every answer to a query all nodes answer (auction, ping, tags, list,
    /// stop), so our clients stop collecting once every live node has answered.
    var nexusSizeHeaders: NatsHeaders {
        var headers = NatsHeaders()
        headers.set(NexHeader.nexusSize, String(peers.nexusSize()))
        return headers
    }

    /// Remembers that this node handed out `agentID` (embedded, local or remote bootstrap).
    func assign(_ agentID: String, origin: AgentOrigin) {
        origins.withLock { $0[agentID] = origin }
    }

    /// The ids handed to the nexlets this node runs itself (embedded and local), for readiness.
    var configuredAgentIDs: [String] {
        origins.withLock { $0.filter { $0.value == .embedded || $0.value == .local }.map(\.key) }
    }

    func origin(of agentID: String) -> AgentOrigin {
        origins.withLock { $0[agentID] } ?? .unknown
    }

    /// Logs a node-side failure with its correlation id (5xx details never leave the node).
    func log(_ error: NexError, endpoint: String) {
        let level: Logger.Level = error.status >= 500 ? .error : .debug
        logger.log(level: level, "\(endpoint): \(error.body)", metadata: ["error_id": "\(error.id)", "error": "\(error.error)"])
    }
}
