import NATSKit

/// When a scatter-gather call (node list, placement tags, workload list, stop, clone) stops collecting.
///
/// The Go client waits for the first reply until its context expires and then uses a fixed 2 s stall. Ours
/// bounds every phase: silence for `firstReplyTimeout` means "nobody answered", a quiet period per `stall`
/// ends the call, and `totalTimeout` caps it whatever happens.
public struct GatherPolicy: Sendable {
    /// How long to wait for the first reply. Silence is the protocol's normal "nobody wants this" answer.
    public var firstReplyTimeout: Duration
    /// How long to keep waiting after a reply for the next one.
    public var stall: StallPolicy
    /// Hard cap on the whole call.
    public var totalTimeout: Duration

    public init(firstReplyTimeout: Duration, stall: StallPolicy, totalTimeout: Duration) {
        self.firstReplyTimeout = firstReplyTimeout
        self.stall = stall
        self.totalTimeout = totalTimeout
    }

    /// 3 s for the first reply (a Go node answers WPING/UNDEPLOY only after hearing from its agents, which
    /// takes up to its 2 s fan-out deadline when one of them is dead), then an adaptive stall of 4 × the reply
    /// spread between 250 ms and 2 s, at most 10 s in total. For nexuses of Go nodes whose answers trickle
    /// in seconds apart, use a fixed stall like the Go client's (`.fixed(.seconds(2))`).
    public static let standard = GatherPolicy(
        firstReplyTimeout: .seconds(3),
        stall: .adaptive(minimum: .milliseconds(250), maximum: .seconds(2), factor: 4),
        totalTimeout: .seconds(10))

    /// For stops: nodes answer UNDEPLOY only once their agent has stopped the workload, which includes the
    /// workload's grace period (5 s for the native nexlet) before a SIGKILL; so 20 s for the first reply.
    public static let stop = GatherPolicy(
        firstReplyTimeout: .seconds(20),
        stall: .adaptive(minimum: .milliseconds(250), maximum: .seconds(2), factor: 4),
        totalTimeout: .seconds(30))
}

/// When an auction stops collecting bids.
///
/// Our nodes answer every auction that carries `Nex-Auction-Decline: ok` (a bid or a decline) and put the
/// number of live nodes they know of in `Nex-Nexus-Size`, so an auction among our nodes ends as soon as
/// every node has answered (and waits a little longer for announced nodes that are slow). Go nodes stay
/// silent when they do not bid and send no size; for them the adaptive stall ends the auction shortly after
/// the bids stop coming.
public struct AuctionPolicy: Sendable {
    /// How long to wait for the first answer; silence means no bids.
    public var firstReplyTimeout: Duration
    /// The adaptive stall after an answer: `stallFactor ×` the spread of the answers so far, clamped to
    /// `minimumStall ... maximumStall`.
    public var minimumStall: Duration
    public var maximumStall: Duration
    public var stallFactor: Double
    /// Hard cap on the whole auction.
    public var totalTimeout: Duration
    /// Send `Nex-Auction-Decline: ok` so our nodes decline explicitly instead of staying silent.
    public var inviteDeclines: Bool
    /// Stop as soon as bids + declines reach the largest `Nex-Nexus-Size` seen, and while fewer have answered
    /// wait up to `maximumStall` for the missing ones instead of the adaptive stall. Off: the adaptive stall
    /// alone decides, as for Go nodes.
    public var stopWhenAllNodesAnswered: Bool

    public init(
        firstReplyTimeout: Duration = .seconds(1),
        minimumStall: Duration = .milliseconds(20),
        maximumStall: Duration = .seconds(1),
        stallFactor: Double = 4,
        totalTimeout: Duration = .seconds(5),
        inviteDeclines: Bool = true,
        stopWhenAllNodesAnswered: Bool = true
    ) {
        self.firstReplyTimeout = firstReplyTimeout
        self.minimumStall = minimumStall
        self.maximumStall = maximumStall
        self.stallFactor = stallFactor
        self.totalTimeout = totalTimeout
        self.inviteDeclines = inviteDeclines
        self.stopWhenAllNodesAnswered = stopWhenAllNodesAnswered
    }

}

/// The deadlines and collection rules of every call a ``NexClient`` makes. Each call gets its own deadline
/// from these values; nothing waits without one.
public struct NexClientOptions: Sendable {
    /// Single request/reply calls to one node: INFO, LAMEDUCK, AGENTID.
    public var requestTimeout: Duration
    /// ADEPLOY: the node waits for its agent to start the workload (up to a minute in Go nodes).
    public var startWorkloadTimeout: Duration
    /// Node list, placement tags, workload list and clone.
    public var gather: GatherPolicy
    /// Stops (their replies wait for the workload to be gone).
    public var stop: GatherPolicy
    /// Auctions (also those made by ``NexClient/deploy(_:tags:)`` and clone).
    public var auction: AuctionPolicy

    public init(
        requestTimeout: Duration = .seconds(5),
        startWorkloadTimeout: Duration = .seconds(60),
        gather: GatherPolicy = .standard,
        stop: GatherPolicy = .stop,
        auction: AuctionPolicy = AuctionPolicy()
    ) {
        self.stop = stop
        self.requestTimeout = requestTimeout
        self.startWorkloadTimeout = startWorkloadTimeout
        self.gather = gather
        self.auction = auction
    }
}
