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
    /// Our auction extension: on every auction answer (bid or decline) of our nodes, the number of live
    /// nodes the answering node knows of (itself included), so a client can stop once all have answered.
    public static let nexusSize = "Nex-Nexus-Size"
    /// Our node-heartbeat extension: `stopping` on the last heartbeat of a node that shuts down.
    public static let nodeState = "Nex-Node-State"
    /// The value of ``auctionDecline`` on a request that invites declines.
    public static let auctionDeclineInvite = "ok"
    /// The NATS protocol status header; `503` with no body means "no responders".
    public static let status = "Status"
    /// The status value of a no-responders reply.
    public static let noRespondersStatus = "503"
    // issue 12: limits
    /// Our REGISTER extension: an agent that can open sealed strings (`nex-sealed:v1:…`, sealed to its
    /// `public_xkey`) sends ``sealedPayloadsV1``; the node then seals `run_request` and the workload seed in
    /// STARTWORKLOAD requests and `existing_state`. Go nodes ignore it; agents without it get the clear form.
    public static let sealedPayloads = "Nex-Sealed-Payloads"
    /// The value of ``sealedPayloads`` for the `nex-sealed:v1` form.
    public static let sealedPayloadsV1 = "nex-sealed:v1"

    // issue 12: agent identity
    /// Our registration extension (decisions.md): on REGISTER and RREGISTER, the public nkey of the key that
    /// signed the request. Go nexlets send none.
    public static let agentKey = "Nex-Agent-Key"
    /// With ``agentKey``: the ed25519 signature (standard base64) of the request's proof statement.
    public static let agentSignature = "Nex-Agent-Signature"
    /// With ``agentKey``: when the request was signed, in Unix nanoseconds (the node accepts a small window).
    public static let agentTimestamp = "Nex-Agent-Timestamp"
    /// On the REGISTER reply of our nodes: the agent profile the node minted for (``agentProfileCurrent`` =
    /// the agent must serve its own-id subjects). Absent from Go nodes.
    public static let agentProfile = "Nex-Agent-Profile"
    /// The value of ``agentProfile`` for an agent that serves the subjects of its own id.
    public static let agentProfileCurrent = "current"
}
