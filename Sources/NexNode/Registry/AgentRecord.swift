import JSONSchema
import Minter
import NATSKit
import NexProtocol

/// How a nexlet came to this node.
enum AgentOrigin: String, Sendable {
    case embedded, local, remote, unknown
}

/// One registered nexlet as the node tracks it.
struct AgentRecord: Sendable {
    let id: String
    let registration: RegisterAgentRequest
    let schema: JSONSchema
    let origin: AgentOrigin
    let registeredAt: ContinuousClock.Instant
    /// The agent's bids, encoded but for the bidder id (nil only if encoding failed; bids are then encoded whole).
    let bidTemplate: AuctionResponseTemplate?
    /// Health the agent reports about itself in its last heartbeat.
    var reportedHealth: AgentHealth = .unknown
    var lastHeartbeat: ContinuousClock.Instant?
    var lastHeartbeatTime: GoTime = .zero
    var summary = AgentSummary()
    /// Which subjects the agent serves and its credential holds: `.current` (proven at REGISTER, own-id
    /// subjects) or `.legacy` (a Go nexlet on the node-wide subjects).
    let profile: AgentProfile
    /// Whether the agent asked for sealed payloads at REGISTER (``NexHeader/sealedPayloads``). A capability of
    /// its runtime (it must hold the seed of its `public_xkey`), independent of the identity proof.
    let advertisesSealedPayloads: Bool

    init(id: String, registration: RegisterAgentRequest, schema: JSONSchema, origin: AgentOrigin, registeredAt: ContinuousClock.Instant,
         profile: AgentProfile, advertisesSealedPayloads: Bool = false) {
        self.profile = profile
        self.advertisesSealedPayloads = advertisesSealedPayloads
        self.id = id
        self.registration = registration
        self.schema = schema
        self.origin = origin
        self.registeredAt = registeredAt
        bidTemplate = try? AuctionResponseTemplate(
            startRequestSchema: registration.startRequestSchema, supportedLifecycles: registration.supportedLifecycles,
            xkey: registration.publicXkey)
    }

    var registerType: String { registration.registerType }
    var name: String { registration.name }

    /// Health at `now`: what the agent says, unless it went quiet. Degraded after 2 missed heartbeats,
    /// offline after 3. Before its first heartbeat a freshly registered agent counts as healthy (registering
    /// is a sign of life, and its first heartbeat may still be in flight); after one interval without any,
    /// as unknown.
    func health(now: ContinuousClock.Instant, interval: Duration) -> AgentHealth {
        guard let lastHeartbeat else {
            let silence = now - registeredAt
            if silence > interval * 3 { return .offline }
            return silence <= interval ? .healthy : .unknown
        }
        let silence = now - lastHeartbeat
        if silence > interval * 3 { return .offline }
        if silence > interval * 2 { return .degraded }
        return reportedHealth
    }

    /// Whether start requests to this agent carry `run_request` and the workload seed sealed to its
    /// `public_xkey` (our SDK) rather than in the clear (Go nexlets). The one place that decides it.
    var acceptsSealedPayloads: Bool { advertisesSealedPayloads }

    /// Whether the agent has room for one more workload when it runs `running` (its `max_workloads`, 0 = no limit).
    func hasRoom(running: Int) -> Bool {
        let limit = registration.maxWorkloads
        return limit <= 0 || Double(running) < limit
    }

    /// Whether the agent takes new workloads of `lifecycle` (nil: any).
    func supports(_ lifecycle: WorkloadLifecycle?) -> Bool {
        guard let lifecycle, let supported = registration.supportedLifecycles, !supported.isEmpty else { return true }
        return supported.contains(lifecycle)
    }
}
