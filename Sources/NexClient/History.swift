import Foundation
import NATSKit
import NexProtocol

/// Which part of a feed's history to read: at most `tail` of the newest records (nil: every record in the
/// window) stored at or after `since` (nil: as far back as the stream keeps).
public struct HistoryWindow: Sendable, Equatable {
    public var tail: Int?
    public var since: Date?

    public init(tail: Int? = nil, since: Date? = nil) {
        self.tail = tail
        self.since = since
    }
}

/// Why a feed's history cannot be read; the feed itself may still be read live.
public struct FeedHistoryUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// What a history feed delivers.
public enum HistoryRecord<Element: Sendable>: Sendable {
    /// A record with its stream sequence (increasing, without gaps among the records of this feed) and the time
    /// it was stored.
    case record(Element, sequence: UInt64, time: Date)
    /// Every record of the window stored before the read began has been delivered; what follows is live.
    case caughtUp
}

/// A feed read from its history stream: the window's records (the last ``HistoryWindow/tail`` of them), then
/// ``HistoryRecord/caughtUp``, then every new record as it is stored, with no gap and no duplicate between
/// history and live (one ordered consumer delivers both). Ends after ``cancel()`` or when the connection closes.
public struct NexHistoryFeed<Element: Sendable>: AsyncSequence, Sendable {
    let consumer: OrderedConsumer
    let tail: Int?
    let transform: @Sendable (StreamMessage) -> Element?

    /// Stops the feed; iteration ends.
    public func cancel() { consumer.cancel() }

    /// Stops the feed and waits until its consumer is gone; call it before closing the connection.
    public func stop() async { await consumer.stop() }

    /// Records the reader could not keep up with (dropped from the local buffer).
    public var droppedCount: Int { consumer.droppedCount }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: OrderedConsumer.Iterator
        let tail: Int?
        let transform: @Sendable (StreamMessage) -> Element?
        var caughtUp: Bool
        var announced = false
        /// The newest `tail` records of the history, handed out once it has been read.
        var kept: [(Element, UInt64, Date)] = []
        var keptStart = 0
        var flushing = false

        public mutating func next() async -> HistoryRecord<Element>? {
            while true {
                if flushing {
                    if keptStart < kept.count {
                        let (element, sequence, time) = kept[keptStart]
                        keptStart += 1
                        return .record(element, sequence: sequence, time: time)
                    }
                    flushing = false
                    kept = []
                    caughtUp = true
                }
                if caughtUp && !announced {
                    announced = true
                    return .caughtUp
                }
                guard let message = await base.next() else { return nil }
                let element = transform(message)
                if caughtUp {
                    if let element { return .record(element, sequence: message.sequence, time: message.timestamp) }
                    continue
                }
                if let element, tail != 0 {
                    kept.append((element, message.sequence, message.timestamp))
                    if let tail, kept.count - keptStart > tail {
                        keptStart += 1
                        // Compact now and then so the buffer holds about `tail` records.
                        if keptStart > Swift.max(tail, 64) {
                            kept.removeFirst(keptStart)
                            keptStart = 0
                        }
                    }
                }
                if message.pending == 0 { flushing = true }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: consumer.makeAsyncIterator(), tail: tail, transform: transform, caughtUp: consumer.startedEmpty)
    }
}

extension NexClient {
    /// The output of one workload from the log history (``FeedHistoryStreams/logs``), then live. `namespace`
    /// defaults to the client's; the system namespace may pass `*` to find a workload that has ended in whichever
    /// namespace it ran. Throws ``FeedHistoryUnavailable`` when the server has no JetStream, no node keeps
    /// history, or the credentials may not read it.
    public func workloadLogHistory(namespace: String? = nil, workloadID: String, window: HistoryWindow) async throws -> NexHistoryFeed<WorkloadLogChunk> {
        let target = namespace ?? self.namespace
        if !(target == "*" && isSystem) { try Self.checkToken(target, as: "namespace") }
        try Self.checkToken(workloadID, as: "workload id")
        return try await history(
            stream: FeedHistoryStreams.logs, filter: NexSubscription.logs(namespace: target, workloadID: workloadID), window: window
        ) { WorkloadLogChunk(subject: $0.subject, payload: $0.payload) }
    }

    /// A node's own log (`$NEX.FEED.system.logs.<nodeId>.*`, published by nodes run with `--logger.target nats`)
    /// from the log history, then live; chunks carry namespace `system` and the node id as workload id.
    public func nodeLogHistory(nodeID: String, window: HistoryWindow) async throws -> NexHistoryFeed<WorkloadLogChunk> {
        try Self.checkToken(nodeID, as: "node id")
        return try await history(
            stream: FeedHistoryStreams.logs, filter: NexSubscription.logs(namespace: NexConstants.systemNamespace, workloadID: nodeID),
            window: window
        ) { WorkloadLogChunk(subject: $0.subject, payload: $0.payload) }
    }

    /// Events from `from` (a node id, agent id or namespace; nil = from everyone) from the event history
    /// (``FeedHistoryStreams/events``), then live.
    public func eventHistory(from: String? = nil, window: HistoryWindow) async throws -> NexHistoryFeed<NexEventMessage> {
        if let from { try Self.checkToken(from, as: "event source") }
        return try await history(stream: FeedHistoryStreams.events, filter: NexSubscription.events(from: from ?? "*"), window: window) {
            NexEventMessage(subject: $0.subject, payload: $0.payload)
        }
    }

    private func history<Element>(
        stream: String, filter: String, window: HistoryWindow, transform: @escaping @Sendable (StreamMessage) -> Element?
    ) async throws -> NexHistoryFeed<Element> {
        if let tail = window.tail, tail < 0 { throw NexError.badRequest("tail must not be negative, got \(tail)", body: "invalid tail") }
        let consumer: OrderedConsumer
        do {
            let js = try JetStream(connection, timeout: options.requestTimeout)
            consumer = try await js.orderedConsumer(stream: stream, filter: filter, deliver: window.since.map { .startTime($0) } ?? .all)
        } catch let error as NatsError {
            switch error.kind {
            case .jetStreamUnavailable:
                throw FeedHistoryUnavailable(reason: "the NATS server has no JetStream for this account, so no history is kept")
            case .notFound:
                throw FeedHistoryUnavailable(reason: "no node keeps history here (stream \(stream) not found)")
            case .timeout, .notPermitted:
                throw FeedHistoryUnavailable(reason: "cannot read stream \(stream): \(error.message) (do the credentials allow the JetStream API?)")
            default:
                throw FeedHistoryUnavailable(reason: "cannot read stream \(stream): \(error.message)")
            }
        }
        return NexHistoryFeed(consumer: consumer, tail: window.tail, transform: transform)
    }
}
