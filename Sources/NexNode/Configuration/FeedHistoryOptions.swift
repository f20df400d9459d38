import NATSKit
import NexProtocol

/// How much of the feeds the nexus keeps (decisions §13): the streams ``FeedHistoryStreams/logs`` and
/// ``FeedHistoryStreams/events``, which every node creates at start or brings to these limits. Nodes of one
/// nexus should use the same values: the last node to start sets them.
public struct FeedHistoryOptions: Sendable, Equatable {
    /// Log lines older than this are removed; zero keeps them whatever their age.
    public var logMaxAge: Duration = Self.defaultLogMaxAge
    /// Lines kept per workload and output stream (and per node log stream): the oldest go first.
    public var logLinesPerStream: Int64 = Self.defaultLogLinesPerStream
    /// Bytes of log history kept in all (the oldest lines of any workload go first).
    public var logMaxBytes: Int64 = Self.defaultLogMaxBytes
    /// Events older than this are removed; zero keeps them whatever their age.
    public var eventMaxAge: Duration = Self.defaultEventMaxAge
    /// Bytes of event history kept in all.
    public var eventMaxBytes: Int64 = Self.defaultEventMaxBytes
    public var storage: StorageType = .file
    /// Copies on a clustered JetStream.
    public var replicas = 1

    public static let defaultLogMaxAge: Duration = .seconds(72 * 3600)
    public static let defaultLogLinesPerStream: Int64 = 10_000
    public static let defaultLogMaxBytes: Int64 = 1 << 30
    public static let defaultEventMaxAge: Duration = .seconds(7 * 24 * 3600)
    public static let defaultEventMaxBytes: Int64 = 64 << 20
    /// A line is at most 64 KiB (nexlets split longer ones), plus subject and headers.
    static let maxMessageSize: Int32 = 70 * 1024

    public init() {}

    /// The stream of workload output and node logs.
    public var logStream: StreamConfig {
        StreamConfig(
            name: FeedHistoryStreams.logs, description: "nex: workload output and node logs",
            subjects: [FeedHistoryStreams.logSubjects], maxAge: logMaxAge > .zero ? logMaxAge : nil,
            maxMessagesPerSubject: logLinesPerStream, maxBytes: logMaxBytes, maxMessageSize: Self.maxMessageSize,
            storage: storage, replicas: replicas)
    }

    /// The stream of events.
    public var eventStream: StreamConfig {
        StreamConfig(
            name: FeedHistoryStreams.events, description: "nex: node, nexlet and workload events",
            subjects: [FeedHistoryStreams.eventSubjects], maxAge: eventMaxAge > .zero ? eventMaxAge : nil,
            maxBytes: eventMaxBytes, maxMessageSize: Self.maxMessageSize, storage: storage, replicas: replicas)
    }
}
