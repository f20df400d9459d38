/// The AUCTION request (`AuctionRequest`).
public struct AuctionRequest: GoJSONObject {
    /// The register type wanted.
    public var agentType = ""
    /// A fresh id per auction (only logged by nodes).
    public var auctionID = ""
    /// Required placement tags; nil (`null`) matches every node.
    public var tags: NodeTags?

    public init() {}

    public init(agentType: String, auctionID: String = NUID.next(), tags: NodeTags? = nil) {
        self.agentType = agentType
        self.auctionID = auctionID
        self.tags = tags
    }

    public static let goFields: [GoField<Self>] = [
        .required("agent_type", \.agentType),
        .required("auction_id", \.auctionID),
        .required("tags", \.tags),
    ]
}

/// A node's bid (`AuctionResponse`).
public struct AuctionResponse: GoJSONObject {
    /// The one-shot id to deploy with (`ADEPLOY.<bidderId>`).
    public var bidderID = ""
    /// The winning agent's start-request JSON Schema, as a string.
    public var startRequestSchema = ""
    /// The agent's lifecycles; nil (`null`) when it declared none.
    public var supportedLifecycles: [WorkloadLifecycle]?
    /// The agent's public xkey (not the node's).
    public var xkey = ""

    public init() {}

    public init(bidderID: String, startRequestSchema: String, supportedLifecycles: [WorkloadLifecycle]?, xkey: String) {
        self.bidderID = bidderID
        self.startRequestSchema = startRequestSchema
        self.supportedLifecycles = supportedLifecycles
        self.xkey = xkey
    }

    public static let goFields: [GoField<Self>] = [
        .required("bidder_id", \.bidderID),
        .required("start_request_schema", \.startRequestSchema),
        .required("supported_lifecycles", \.supportedLifecycles),
        .required("xkey", \.xkey),
    ]
}

/// The CLONE request (`CloneWorkloadRequest`). The reply is a bare ``StartWorkloadRequest``.
public struct CloneWorkloadRequest: GoJSONObject {
    /// The caller's namespace.
    public var namespace = ""
    /// A fresh curve public key of the caller (ignored by nodes and agents today).
    public var newTargetXkey = ""

    public init() {}

    public init(namespace: String, newTargetXkey: String) {
        self.namespace = namespace
        self.newTargetXkey = newTargetXkey
    }

    public static let goFields: [GoField<Self>] = [
        .required("namespace", \.namespace),
        .required("new_target_xkey", \.newTargetXkey),
    ]
}

/// The schema's clone reply wrapper (`CloneWorkloadResponse`). Never sent: CLONE replies with a bare
/// ``StartWorkloadRequest``. Kept for completeness.
public struct CloneWorkloadResponse: GoJSONObject {
    public var startWorkloadRequest: StartWorkloadRequest?

    public init() {}

    public init(startWorkloadRequest: StartWorkloadRequest?) {
        self.startWorkloadRequest = startWorkloadRequest
    }

    public static let goFields: [GoField<Self>] = [
        .omitNil("start_workload_request", \.startWorkloadRequest),
    ]
}
