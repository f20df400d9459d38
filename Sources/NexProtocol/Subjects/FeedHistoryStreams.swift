/// The JetStream streams that keep the history of the feeds (decisions §13). Every node creates them at start
/// (idempotently); clients read them with ordered consumers. Only feed subjects are captured, and only nexlets
/// and nodes may publish feed subjects, so a workload cannot write into any history.
public enum FeedHistoryStreams {
    /// Workload output and the nodes' own logs.
    public static let logs = "NEX_LOGS"
    /// Node, nexlet and workload events.
    public static let events = "NEX_EVENTS"

    /// `$NEX.FEED.*.logs.*.*`: `$NEX.FEED.<ns>.logs.<workloadId>.stdout|stderr` and the node self-logs
    /// `$NEX.FEED.system.logs.<nodeId>.stdout|stderr`. One subject per workload and output stream, so a limit
    /// per subject is a limit per workload.
    public static let logSubjects = "\(NexSubject.feed).*.logs.*.*"
    /// `$NEX.FEED.*.events.*`: `$NEX.FEED.<nodeId|namespace|agentId>.events.<NAME>`.
    public static let eventSubjects = "\(NexSubject.feed).*.events.*"
}
