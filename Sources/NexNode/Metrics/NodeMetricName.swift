/// The name of every metric a node reports, in one place (README's metrics table lists them with their labels).
/// Labels are bounded: namespace, workload type, lifecycle, agent origin and health, result and reason classes;
/// never a workload, agent or bid id.
public enum NodeMetricName {
    /// Counter: AUCTION requests this node answered or declined (a request it cannot decode is not one).
    public static let auctions = "nex_auctions_total"
    /// Counter: bids this node made.
    public static let auctionBids = "nex_auction_bids_total"
    /// Counter, label `reason` (``AuctionDeclineReason``): auctions this node did not bid on, whether or not the
    /// client invited a decline answer.
    public static let auctionDeclines = "nex_auction_declines_total"
    /// Histogram (seconds): from an AUCTION's arrival to the bid or decline.
    public static let auctionDuration = "nex_auction_duration_seconds"
    /// Counter, label `result` (``DeployOutcome``): ADEPLOY requests on this node's bids that were answered.
    public static let deploys = "nex_deploys_total"
    /// Histogram (seconds), label `result`: from an ADEPLOY's arrival to its answer.
    public static let deployDuration = "nex_deploy_duration_seconds"
    /// Counter, labels `namespace`, `reason` (`quota`, `quota_unavailable`, `node_full`): deploys refused for a
    /// namespace's quota or this node's capacity.
    public static let admissionRefusals = "nex_admission_refusals_total"
    /// Counter, label `result` (`stopped`, `not_found`): UNDEPLOY requests this node answered.
    public static let stops = "nex_stops_total"
    /// Gauge, labels `namespace`, `type`, `lifecycle`: workloads placed on this node's agents.
    public static let workloadsRunning = "nex_workloads_running"
    /// Counter, labels `namespace`, `type`: restarts of workloads on this node's agents (a `WORKLOADSTARTED` for a
    /// workload that had started before).
    public static let workloadRestarts = "nex_workload_restarts_total"
    /// Counter, label `origin` (`embedded`, `local`): restarts of the nexlets this node runs.
    public static let agentRestarts = "nex_agent_restarts_total"
    /// Gauge, labels `type`, `state` (``NexProtocol/AgentHealth``): registered agents by health.
    public static let agents = "nex_agents"
    /// Counter, labels `operation` (`save`, `remove`, `list`, `probe`), `result` (`ok`, `error`): state store
    /// (JetStream KV) operations.
    public static let kvOperations = "nex_kv_operations_total"
    /// Histogram (seconds), label `operation`: how long state store operations took.
    public static let kvOperationDuration = "nex_kv_operation_duration_seconds"
    /// Gauge: 1 while the node's NATS connection is connected, else 0.
    public static let natsConnected = "nex_nats_connected"
    /// Counter: reconnections of the node's NATS connection.
    public static let natsReconnects = "nex_nats_reconnects_total"
    /// Counter: disconnections of the node's NATS connection.
    public static let natsDisconnects = "nex_nats_disconnects_total"
    /// Gauge, labels `state` (``NexProtocol/NodeState``): 1 for the node's current state, 0 for the others.
    public static let nodeState = "nex_node_state"
    /// Gauge, label `version`: always 1.
    public static let buildInfo = "nex_build_info"
}

/// Why a node did not bid (the `reason` label of ``NodeMetricName/auctionDeclines``). A new reason to decline
/// (node capacity, say) gets a case here.
public enum AuctionDeclineReason: String, Sendable, CaseIterable {
    /// The node is starting or stopping.
    case notRunning = "not_running"
    case lameduck
    /// No healthy agent of the requested type.
    case noAgent = "no_agent"
    /// Every agent of the type is at its `max_workloads`.
    case agentCapacity = "agent_capacity"
    /// The placement tags do not match.
    case tags
    /// The configured ``Auctioneer`` vetoed the bid.
    case auctioneer
    /// The node is full (`--max-workloads`, or its memory less `--reserve-memory`).
    case nodeFull = "node_full"
    case other
}

/// How an answered deploy ended (the `result` label of ``NodeMetricName/deploys``), from its reply's status:
/// `ok`, `refused` (4xx: invalid request, wrong bid, capacity, a stopping node, …), `failed` (5xx: the agent or
/// the state store failed). Deploys a node stays silent on (another node's bid, lameduck) are not counted.
public enum DeployOutcome: String, Sendable, CaseIterable {
    case ok, refused, failed

    init(status: Int) {
        switch status {
        case 200..<300: self = .ok
        case 400..<500: self = .refused
        default: self = .failed
        }
    }
}

extension NodeMetricName {
    /// The meaning of each metric, as the exposition's `# HELP` line says it.
    public static let help: [String: String] = [
        auctions: "AUCTION requests this node answered with a bid or declined.",
        auctionBids: "Bids this node made.",
        auctionDeclines: "Auctions this node did not bid on, by reason class.",
        auctionDuration: "Time from an AUCTION's arrival to this node's bid or decline.",
        deploys: "ADEPLOY requests on this node's bids that were answered, by result.",
        deployDuration: "Time from an ADEPLOY's arrival to its answer, by result.",
        stops: "UNDEPLOY requests this node answered, by result.",
        admissionRefusals: "Deploys refused for a namespace's quota or this node's capacity, by namespace and reason.",
        workloadsRunning: "Workloads placed on this node's agents.",
        workloadRestarts: "Restarts of workloads on this node's agents.",
        agentRestarts: "Restarts of the nexlets this node runs (embedded or local processes).",
        agents: "Registered agents by type and health.",
        kvOperations: "State store (JetStream KV) operations by result.",
        kvOperationDuration: "Time state store (JetStream KV) operations took.",
        natsConnected: "1 while the node's NATS connection is connected, else 0.",
        natsReconnects: "Reconnections of the node's NATS connection.",
        natsDisconnects: "Disconnections of the node's NATS connection.",
        nodeState: "1 for the node's current state, 0 for the others.",
        buildInfo: "The node's version; always 1.",
    ]
}
