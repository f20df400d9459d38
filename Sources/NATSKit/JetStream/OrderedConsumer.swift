import CNats
import Foundation
import Synchronization

/// Where an ordered consumer starts in its stream.
public enum DeliverPolicy: Sendable, Equatable {
    /// From the oldest message the stream still holds.
    case all
    /// Only messages stored after the consumer was created.
    case new
    /// From this stream sequence on.
    case startSequence(UInt64)
    /// From the first message stored at or after this time.
    case startTime(Date)
}

/// One message read from a stream, with its place in it.
public struct StreamMessage: Sendable, Equatable {
    public var subject: String
    public var payload: Data
    public var headers: NatsHeaders
    /// The stream sequence: strictly increasing along an ordered consumer, with no gaps among the messages that
    /// match its filter.
    public var sequence: UInt64
    /// When the stream stored it.
    public var timestamp: Date
    /// How many messages matching the filter came after this one when it was delivered: 0 means the consumer
    /// had caught up with the stream at that moment.
    public var pending: UInt64

    public init(subject: String, payload: Data, headers: NatsHeaders = NatsHeaders(), sequence: UInt64, timestamp: Date, pending: UInt64) {
        self.subject = subject
        self.payload = payload
        self.headers = headers
        self.sequence = sequence
        self.timestamp = timestamp
        self.pending = pending
    }

    public var string: String { String(decoding: payload, as: UTF8.self) }
}

/// Hands the messages of a JetStream subscription, with their metadata, to an AsyncStream.
final class StreamMessageSink: Sendable {
    let continuation: AsyncStream<StreamMessage>.Continuation
    let dropped = Atomic<Int>(0)

    init(_ continuation: AsyncStream<StreamMessage>.Continuation) {
        self.continuation = continuation
    }

    func deliver(_ msg: OpaquePointer) {
        // Flow-control requests and idle heartbeats carry no metadata; nats.c answers them itself.
        var metadata: UnsafeMutablePointer<jsMsgMetaData>?
        guard natsMsg_GetMetaData(&metadata, msg) == NATS_OK, let metadata else { return }
        let sequence = metadata.pointee.Sequence.Stream
        let pending = metadata.pointee.NumPending
        let timestamp = Date(nanosecondsSince1970: metadata.pointee.Timestamp)
        jsMsgMetaData_Destroy(metadata)
        let copy = NatsMessage(copying: msg)
        let message = StreamMessage(
            subject: copy.subject, payload: copy.payload, headers: copy.headers, sequence: sequence, timestamp: timestamp, pending: pending)
        if case .dropped = continuation.yield(message) {
            dropped.wrappingAdd(1, ordering: .relaxed)
        }
    }
}

private let deliverStreamMessage: natsMsgHandler = { _, _, msg, closure in
    guard let msg else { return }
    defer { natsMsg_Destroy(msg) }
    guard let closure else { return }
    Unmanaged<StreamMessageSink>.fromOpaque(closure).takeUnretainedValue().deliver(msg)
}

private let completeStreamSubscription: natsOnCompleteCB = { closure in
    guard let closure else { return }
    Unmanaged<StreamMessageSink>.fromOpaque(closure).takeRetainedValue().continuation.finish()
}

/// An ordered consumer: an ephemeral, unacknowledged push consumer on one stream whose messages arrive in
/// stream order without gaps or duplicates (nats.c recreates it from the next expected sequence when it sees a
/// gap). It reads what the stream holds from its start position and then goes on with new messages, so one
/// consumer serves "history, then live". Iterate it; the sequence ends after ``cancel()`` or when the
/// connection closes. Dropping the last reference unsubscribes (the server removes the consumer).
public final class OrderedConsumer: AsyncSequence, @unchecked Sendable {
    public typealias Element = StreamMessage

    public let stream: String
    public let filter: String
    /// True when, right after the consumer was created, nothing at or after its start position matched the
    /// filter (an empty history); otherwise the history ends at the first message with ``StreamMessage/pending`` 0.
    public let startedEmpty: Bool
    private let handle: OpaquePointer
    private let sink: StreamMessageSink
    private let messages: AsyncStream<StreamMessage>
    private let jetStream: JetStream

    init(jetStream: JetStream, stream: String, filter: String, handle: OpaquePointer, sink: StreamMessageSink,
         messages: AsyncStream<StreamMessage>, startedEmpty: Bool) {
        self.jetStream = jetStream
        self.stream = stream
        self.filter = filter
        self.handle = handle
        self.sink = sink
        self.messages = messages
        self.startedEmpty = startedEmpty
    }

    deinit {
        natsSubscription_Unsubscribe(handle)
        natsSubscription_Destroy(handle)
    }

    /// Messages dropped because the reader fell behind the buffering policy (a gap for the reader).
    public var droppedCount: Int { sink.dropped.load(ordering: .relaxed) }

    /// Stops delivery; iteration ends.
    public func cancel() {
        _ = natsSubscription_Unsubscribe(handle)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncStream<StreamMessage>.Iterator
        let owner: OrderedConsumer
        public mutating func next() async -> StreamMessage? { await base.next() }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: messages.makeAsyncIterator(), owner: self)
    }
}

extension JetStream {
    /// Creates an ordered consumer on `stream` delivering the messages whose subject matches `filter`, from
    /// `deliver` on. Needs `$JS.API.CONSUMER.CREATE.<stream>…` and `$JS.API.CONSUMER.INFO.<stream>.>` and an inbox
    /// for the deliveries; throws ``NatsError/Kind/jetStreamUnavailable`` without JetStream and `.notFound`
    /// when there is no such stream.
    public func orderedConsumer(
        stream: String, filter: String, deliver: DeliverPolicy = .all, buffering: NatsBufferingPolicy = .bufferingOldest(1 << 20)
    ) async throws -> OrderedConsumer {
        let policy: AsyncStream<StreamMessage>.Continuation.BufferingPolicy
        switch buffering {
        case .unbounded: policy = .unbounded
        case .bufferingOldest(let limit): policy = .bufferingOldest(max(1, limit))
        }
        let (messages, continuation) = AsyncStream.makeStream(of: StreamMessage.self, bufferingPolicy: policy)
        let sink = StreamMessageSink(continuation)
        let js = UncheckedPointer(pointer: handle)
        let created = try await blocking { () throws -> (UncheckedPointer, Bool) in
            var options = jsSubOptions()
            try check(jsSubOptions_Init(&options), "subscribe options")
            options.Ordered = true
            switch deliver {
            case .all: options.Config.DeliverPolicy = js_DeliverAll
            case .new: options.Config.DeliverPolicy = js_DeliverNew
            case .startSequence(let sequence):
                options.Config.DeliverPolicy = js_DeliverByStartSequence
                options.Config.OptStartSeq = max(1, sequence)
            case .startTime(let time):
                options.Config.DeliverPolicy = js_DeliverByStartTime
                options.Config.OptStartTime = time.nanosecondsSince1970
            }
            let closure = Unmanaged.passRetained(sink).toOpaque()
            var subscription: OpaquePointer?
            var errorCode = jsErrCode(0)
            let status = stream.withCString { name in
                options.Stream = name
                return js_Subscribe(&subscription, js.pointer, filter, deliverStreamMessage, closure, nil, &options, &errorCode)
            }
            guard status == NATS_OK, let subscription else {
                Unmanaged<StreamMessageSink>.fromOpaque(closure).release()
                if errorCode == JSStreamNotFoundErr || status == NATS_NOT_FOUND {
                    throw NatsError(kind: .notFound, status: Int(errorCode.rawValue), message: "stream \(stream) not found")
                }
                try checkJetStream(status == NATS_OK ? NATS_ERR : status, errorCode, "consume \(filter) from stream \(stream)")
                throw NatsError(kind: .other, message: "consume \(filter) from stream \(stream): no subscription")
            }
            natsSubscription_SetOnCompleteCB(subscription, completeStreamSubscription, closure)
            var info: UnsafeMutablePointer<jsConsumerInfo>?
            var infoError = jsErrCode(0)
            let infoStatus = natsSubscription_GetConsumerInfo(&info, subscription, nil, &infoError)
            defer { if let info { jsConsumerInfo_Destroy(info) } }
            guard infoStatus == NATS_OK, let info else {
                natsSubscription_Unsubscribe(subscription)
                natsSubscription_Destroy(subscription)
                try checkJetStream(infoStatus == NATS_OK ? NATS_ERR : infoStatus, infoError, "consumer info on stream \(stream)")
                throw NatsError(kind: .other, message: "consumer info on stream \(stream): none returned")
            }
            let empty = info.pointee.NumPending == 0 && info.pointee.Delivered.Consumer == 0
            return (UncheckedPointer(pointer: subscription), empty)
        }
        return OrderedConsumer(
            jetStream: self, stream: stream, filter: filter, handle: created.0.pointer, sink: sink, messages: messages,
            startedEmpty: created.1)
    }
}
