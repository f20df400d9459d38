import CoreMetrics
import Logging
import Minter
import NexProtocol

/// Everything a node is configured with. The CLI builds this from flags and config files; tests build it
/// directly. Hooks (minter, state, emitter, auctioneer, registrar) are protocols with sensible defaults.
public struct NodeOptions: Sendable {
    public var name: String = NexConstants.defaultNodeName
    public var nexus: String = NexConstants.defaultNexus
    public var version: String = NexConstants.defaultVersion
    public var commit: String = "development"
    public var buildDate: String = "unknown"
    /// The node's server seed (`SN…`); its public key is the node id. Generated when nil.
    public var nodeSeed: String?
    /// The node's curve seed (`SX…`). Generated when nil.
    public var xkeySeed: String?
    /// User tags (keys may not start with `nex.`).
    public var tags: NodeTags = [:]
    public var allowRemoteAgentRegistration = false
    /// How often a failing embedded or local nexlet is restarted before the node gives up on it.
    public var agentRestartLimit = 3
    /// How long a bid stays valid.
    public var auctionTTL: Duration = .seconds(10)
    /// Period of the node heartbeat and of the heartbeats expected from agents.
    public var heartbeatInterval: Duration = .seconds(10)
    /// Deadline of node → agent fan-outs (stop, list, lameduck) and of agent lookups (clone).
    public var agentFanOutTimeout: Duration = .seconds(2)
    /// Deadline of the STOPWORKLOAD fan-out: longer than the agents' stop grace period (the native nexlet's is
    /// 5 s), since agents reply only once the workload is gone.
    public var stopWorkloadTimeout: Duration = .seconds(15)
    /// Deadline of a STARTWORKLOAD request to an agent.
    public var startWorkloadTimeout: Duration = .seconds(60)
    /// How long a stopping node waits for the requests it is handling (deploys, stops, registrations) before it
    /// cancels them (step 2 of ``NexNode/shutdown()``).
    public var drainTimeout: Duration = .seconds(10)
    /// Credentials for agents and workloads.
    public var minter: any CredentialMinter = FullAccessMinter(servers: ["nats://127.0.0.1:4222"])
    /// Where desired workloads are kept across restarts.
    public var state: any WorkloadStateStore = NoWorkloadState()
    public var emitter: any EventEmitter = NoEventEmitter()
    /// Optional veto on bids.
    public var auctioneer: (any Auctioneer)?
    /// Decides whether a nexlet may register.
    public var registrar: any AgentRegistrar = AllowAllRegistrar()
    /// Id generator for agent, bid and workload ids (must produce single subject tokens without `_`).
    public var idGenerator: @Sendable () -> String = { NUID.next() }
    /// Nexlets run inside the node process.
    public var embeddedAgents: [any EmbeddedAgentRunner] = []
    /// Nexlet binaries the node spawns and supervises.
    public var localAgents: [LocalAgentSpec] = []
    public var logger = Logger(label: "nex.node")
    // issue 12: limits
    /// At most this many outstanding bids per namespace; beyond it the namespace's oldest bids are dropped, so
    /// a flood of auctions from one namespace cannot evict another's bids.
    public var maxBidsPerNamespace = NodeOptions.defaultMaxBidsPerNamespace
    public static let defaultMaxBidsPerNamespace = 10_000
    // issue 12: agent identity
    /// Accept REGISTERs that prove no identity (Go nexlets): they get `.legacy` agent credentials (node-wide
    /// agent subjects, `_INBOX.>`). Off by default: only agents that sign REGISTER with their key join.
    public var allowLegacyNexlets = false
    /// Public nkeys whose holders may bootstrap over RREGISTER (with `allowRemoteAgentRegistration`). Empty:
    /// every RREGISTER is refused.
    public var remoteAgentTrust: [String] = []
    // issue 14: quotas per namespace and node capacity
    /// The nexus's quota bucket (``QuotaBook/open(connection:nexus:replicas:leaseTTL:)``): when set, every deploy
    /// is admitted against its namespace's quota and counted in its usage. nil: no quotas are enforced by this
    /// node (no JetStream).
    public var quotas: QuotaBook?
    /// At most this many workloads on this node (0 = no bound); a full node declines auctions.
    public var maxWorkloads = 0
    /// Memory kept free of workloads' memory limits.
    public var reserveMemory: ByteSize?
    /// The host memory capacity is computed from; nil = detected (MemTotal, or the node's cgroup limit if smaller).
    public var hostMemory: ByteSize?
    /// Called for every deploy this node refuses for a quota or its capacity (a seam for metrics); must not block.
    public var onAdmissionRefused: (@Sendable (AdmissionRefusal) -> Void)?
    // issue 14: metrics
    /// Where the node's metrics go (``NodeMetricName`` lists them). Give every node a factory of its own (e.g. a
    /// Prometheus factory over a registry of its own, as `NexNodeHTTP.NodeMetricsRegistry` makes): the node never
    /// uses swift-metrics' global bootstrap. The default counts nothing.
    public var metricsFactory: any MetricsFactory = NOOPMetricsHandler.instance
    // issue 14: log history
    /// The history streams of logs and events the node creates (or updates) at start; nil leaves them alone.
    public var feedHistory: FeedHistoryOptions? = FeedHistoryOptions()

    public init() {}
}

// issue 14: quotas per namespace and node capacity
/// A deploy the node refused before starting anything: over a namespace's quota, the quota could not be checked,
/// or the node is full.
public struct AdmissionRefusal: Sendable, Equatable {
    public enum Reason: String, Sendable, Equatable {
        case quota, quotaUnavailable = "quota_unavailable", nodeFull = "node_full"
    }

    public var namespace: String
    public var reason: Reason
    public var message: String
}

/// A nexlet binary the node runs as a child process (`agents` in the config).
public struct LocalAgentSpec: Sendable, Equatable {
    /// `file:///path` or a plain path.
    public var uri: String
    public var argv: [String]
    public var env: [String: String]

    public init(uri: String, argv: [String] = [], env: [String: String] = [:]) {
        self.uri = uri
        self.argv = argv
        self.env = env
    }

    /// The executable path (`file://` stripped).
    public var path: String {
        uri.hasPrefix("file://") ? String(uri.dropFirst("file://".count)) : uri
    }
}

/// Option errors, all reported together.
public struct NodeOptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "; ") }
}
