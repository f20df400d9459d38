import CNats
import OffPool
import Synchronization

/// How many messages a subscription queues for a slow consumer before dropping new ones.
public enum NatsBufferingPolicy: Sendable, Equatable {
    /// Keep everything (memory grows with a stalled consumer).
    case unbounded
    /// Keep the oldest `n` messages; newer ones are dropped and counted in `droppedCount`.
    case bufferingOldest(Int)

    /// 64 Ki messages, nats.c's own default pending limit.
    public static let `default` = NatsBufferingPolicy.bufferingOldest(65_536)
}

/// Where a subscription's messages go: an AsyncStream, or a handler run on nats.c's delivery thread.
final class SubscriptionSink: Sendable {
    enum Target: Sendable {
        case stream(AsyncStream<NatsMessage>.Continuation)
        case handler(@Sendable (NatsMessage) -> Void, onComplete: (@Sendable () -> Void)?)
    }

    let target: Target
    let dropped = Atomic<Int>(0)

    init(_ target: Target) {
        self.target = target
    }

    func deliver(_ message: NatsMessage) {
        switch target {
        case .stream(let continuation):
            if case .dropped = continuation.yield(message) {
                dropped.wrappingAdd(1, ordering: .relaxed)
            }
        case .handler(let handler, _):
            handler(message)
        }
    }

    func finish() {
        switch target {
        case .stream(let continuation): continuation.finish()
        case .handler(_, let onComplete): onComplete?()
        }
    }
}

let deliverMessage: natsMsgHandler = { _, _, msg, closure in
    guard let msg else { return }
    defer { natsMsg_Destroy(msg) }
    guard let closure else { return }
    Unmanaged<SubscriptionSink>.fromOpaque(closure).takeUnretainedValue().deliver(NatsMessage(copying: msg))
}

/// Runs once nats.c is done with the subscription (after the last handler returned): drops nats.c's retain.
let completeSubscription: natsOnCompleteCB = { closure in
    guard let closure else { return }
    Unmanaged<SubscriptionSink>.fromOpaque(closure).takeRetainedValue().finish()
}

/// An active subscription. Iterate it for messages (in arrival order); the sequence ends after
/// `unsubscribe()`, `drain()` or when the connection closes. Dropping the last reference unsubscribes.
public final class NatsSubscription: AsyncSequence, @unchecked Sendable {
    public typealias Element = NatsMessage

    public let subject: String
    public let queue: String?
    let handle: OpaquePointer
    let sink: SubscriptionSink
    private let stream: AsyncStream<NatsMessage>?
    // Keeps the connection alive while the subscription is (except for the connection's own reply
    // subscription, which must not keep its owner alive).
    private let connection: NatsConnection?

    init(connection: NatsConnection, subject: String, queue: String?, sink: SubscriptionSink, stream: AsyncStream<NatsMessage>?, retainConnection: Bool = true) throws(NatsError) {
        self.connection = retainConnection ? connection : nil
        self.subject = subject
        self.queue = queue
        self.sink = sink
        self.stream = stream
        let closure = Unmanaged.passRetained(sink).toOpaque()
        var sub: OpaquePointer?
        let status: natsStatus
        if let queue {
            status = natsConnection_QueueSubscribe(&sub, connection.handle, subject, queue, deliverMessage, closure)
        } else {
            status = natsConnection_Subscribe(&sub, connection.handle, subject, deliverMessage, closure)
        }
        guard status == NATS_OK, let sub else {
            Unmanaged<SubscriptionSink>.fromOpaque(closure).release()
            throw NatsError(status, "subscribe to \(subject)")
        }
        natsSubscription_SetOnCompleteCB(sub, completeSubscription, closure)
        handle = sub
    }

    deinit {
        natsSubscription_Destroy(handle)
    }

    /// Messages dropped because the consumer fell behind the buffering policy.
    public var droppedCount: Int { sink.dropped.load(ordering: .relaxed) }

    /// Stops delivery at once; the sequence ends.
    public func unsubscribe() {
        _ = natsSubscription_Unsubscribe(handle)
    }

    /// Unsubscribes after `count` more messages in total have been received.
    public func autoUnsubscribe(after count: Int) throws(NatsError) {
        try check(natsSubscription_AutoUnsubscribe(handle, Int32(clamping: count)), "auto-unsubscribe \(subject)")
    }

    /// Stops interest, lets already-received messages be handled, then ends the sequence.
    public func drain(timeout: Duration = .seconds(5)) async {
        guard natsSubscription_DrainTimeout(handle, timeout.milliseconds) == NATS_OK else {
            unsubscribe()
            return
        }
        let handle = UncheckedPointer(pointer: self.handle)
        _ = try? await Blocking.run { natsSubscription_WaitForDrainCompletion(handle.pointer, 0) }
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncStream<NatsMessage>.Iterator?
        // Holding the subscription keeps it (and so the stream) alive while someone iterates.
        let owner: NatsSubscription

        public mutating func next() async -> NatsMessage? {
            await base?.next()
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream?.makeAsyncIterator(), owner: self)
    }
}

extension NatsConnection {
    /// Subscribes (optionally in a queue group); messages arrive through the returned async sequence.
    public func subscribe(_ subject: String, queue: String? = nil, buffering: NatsBufferingPolicy = .default) throws(NatsError) -> NatsSubscription {
        let policy: AsyncStream<NatsMessage>.Continuation.BufferingPolicy
        switch buffering {
        case .unbounded: policy = .unbounded
        case .bufferingOldest(let limit): policy = .bufferingOldest(max(1, limit))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: NatsMessage.self, bufferingPolicy: policy)
        return try NatsSubscription(connection: self, subject: subject, queue: queue, sink: SubscriptionSink(.stream(continuation)), stream: stream)
    }

    /// Subscribes with a handler that runs on nats.c's delivery thread, one message at a time. Keep it short
    /// and non-blocking (hand work to a Task); `onComplete` runs after the last message.
    public func subscribe(_ subject: String, queue: String? = nil, onComplete: (@Sendable () -> Void)? = nil, handler: @escaping @Sendable (NatsMessage) -> Void) throws(NatsError) -> NatsSubscription {
        try NatsSubscription(connection: self, subject: subject, queue: queue, sink: SubscriptionSink(.handler(handler, onComplete: onComplete)), stream: nil)
    }
}
