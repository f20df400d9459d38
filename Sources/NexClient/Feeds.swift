import Foundation
import NATSKit
import NexProtocol

/// One chunk of workload output from `$NEX.FEED.<ns>.logs.<workloadId>.stdout|stderr`: exactly the bytes
/// of one write by the workload's agent (no framing).
public struct WorkloadLogChunk: Sendable, Equatable {
    public var namespace: String
    public var workloadID: String
    public var stream: LogStream
    public var bytes: Data

    public init(namespace: String, workloadID: String, stream: LogStream, bytes: Data) {
        self.namespace = namespace
        self.workloadID = workloadID
        self.stream = stream
        self.bytes = bytes
    }

    /// The bytes as UTF-8 text (invalid sequences repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The chunk of a message on `$NEX.FEED.<ns>.logs.<workloadId>.stdout|stderr` (node logs: namespace `system`,
    /// the node id as workload id); nil for another subject shape.
    init?(subject: String, payload: Data) {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard tokens.count == 6, tokens[3] == "logs", let stream = LogStream(rawValue: String(tokens[5])) else { return nil }
        self.init(namespace: String(tokens[2]), workloadID: String(tokens[4]), stream: stream, bytes: payload)
    }
}

/// One event from `$NEX.FEED.<from>.events.<NAME>`.
public struct NexEventMessage: Sendable, Equatable {
    /// The token after `$NEX.FEED`: a node id, a namespace or an agent id.
    public var from: String
    /// The event name (the subject after `events.`), e.g. `WORKLOADSTARTED`.
    public var name: String
    /// The raw JSON payload.
    public var payload: Data

    public init(from: String, name: String, payload: Data) {
        self.from = from
        self.name = name
        self.payload = payload
    }

    /// The event of a message on `$NEX.FEED.<from>.events.<NAME>`; nil for another subject shape.
    init?(subject: String, payload: Data) {
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        guard tokens.count >= 5, tokens[3] == "events" else { return nil }
        self.init(from: String(tokens[2]), name: tokens[4...].joined(separator: "."), payload: payload)
    }

    /// The payload decoded as `Event` when the name is `Event`'s; nil for other events. Throws when the
    /// name matches but the payload does not decode.
    public func decode<Event: NexEvent>(_ type: Event.Type) throws -> Event? {
        guard name == Event.eventName.rawValue else { return nil }
        return try GoJSON.decode(type, from: payload)
    }
}

/// A live feed: an async sequence of `Element`s mapped from the messages of one subscription. It ends when
/// ``cancel()`` is called or the connection closes; dropping it unsubscribes. Messages that do not fit
/// the feed's subject shape are skipped.
public struct NexFeed<Element: Sendable>: AsyncSequence, Sendable {
    let subscription: NatsSubscription
    let transform: @Sendable (NatsMessage) -> Element?

    /// Stops the feed; iteration ends.
    public func cancel() {
        subscription.unsubscribe()
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: NatsSubscription.Iterator
        let transform: @Sendable (NatsMessage) -> Element?

        public mutating func next() async -> Element? {
            while let message = await base.next() {
                if let element = transform(message) { return element }
            }
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: subscription.makeAsyncIterator(), transform: transform)
    }
}

extension NexClient {
    /// The stdout/stderr output of one workload (or of every workload of the namespace when `workloadID` is
    /// nil), as published by its agent. `namespace` defaults to the client's. The subscription is known to
    /// the server when this returns, so nothing published afterwards is missed.
    public func workloadLogs(namespace: String? = nil, workloadID: String? = nil) async throws -> NexFeed<WorkloadLogChunk> {
        let target = namespace ?? self.namespace
        try Self.checkToken(target, as: "namespace")
        if let workloadID { try Self.checkToken(workloadID, as: "workload id") }
        let subject = "$NEX.FEED.\(target).logs.\(workloadID ?? "*").*"
        return try await feed(subject) { WorkloadLogChunk(subject: $0.subject, payload: $0.payload) }
    }

    /// Events published from `from` (a node id or a namespace; nil = from everyone) on
    /// `$NEX.FEED.<from>.events.>`, as raw JSON with their names. Subscribed when this returns.
    public func events(from: String? = nil) async throws -> NexFeed<NexEventMessage> {
        if let from { try Self.checkToken(from, as: "event source") }
        let subject = "$NEX.FEED.\(from ?? "*").events.>"
        return try await feed(subject) { NexEventMessage(subject: $0.subject, payload: $0.payload) }
    }

    /// Subscribes to `subject` and flushes so the server has the interest before returning.
    private func feed<Element>(_ subject: String, transform: @escaping @Sendable (NatsMessage) -> Element?) async throws -> NexFeed<Element> {
        let subscription: NatsSubscription
        do {
            subscription = try connection.subscribe(subject)
            try await connection.flush(timeout: options.requestTimeout)
        } catch {
            throw NexError.internalError("failed to subscribe to \(subject): \(error)", body: "failed to subscribe")
        }
        return NexFeed(subscription: subscription, transform: transform)
    }
}
