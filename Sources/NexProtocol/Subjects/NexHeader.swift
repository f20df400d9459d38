/// NATS header names of the protocol (case-sensitive, use byte-exact).
public enum NexHeader {
    /// Micro error reply: the human-readable ("friendly") description.
    public static let serviceError = "Nats-Service-Error"
    /// Micro error reply: `400`/`403`/`404`/`500` from nodes, `100` from agents.
    public static let serviceErrorCode = "Nats-Service-Error-Code"
    /// Agent PING replies: the agent id.
    public static let agentID = "agentId"
    /// Every log/metrics message: always `""`.
    public static let group = "synadia.com/group"
    /// Every log/metrics message: the namespace.
    public static let namespace = "synadia.com/namespace"
    /// Function-trigger replies: the workload id.
    public static let triggerWorkloadID = "workload_id"
    /// Function-trigger replies: the namespace.
    public static let triggerNamespace = "namespace"
    /// Function-trigger replies when the function failed: the error text.
    public static let triggerError = "error"
    /// Our auction extension (decisions.md §2): on a request, `ok` invites explicit declines; on a reply
    /// with an empty body, the reason a node does not bid. Go nodes ignore it.
    public static let auctionDecline = "Nex-Auction-Decline"
    /// The NATS protocol status header; `503` with no body means "no responders".
    public static let status = "Status"
    /// The status value of a no-responders reply.
    public static let noRespondersStatus = "503"
}
