import Foundation
import OffPool
import Synchronization

/// One wildcard subscription (`<inbox prefix>.<nuid>.*`, `_INBOX.<nuid>.*` by default) per connection that
/// routes every reply to the request waiting for it, so a request costs one publish and no
/// subscribe/unsubscribe round trips.
final class ResponseMux: Sendable {
    let table: ReplyTable
    private let subscription: NatsSubscription

    init(connection: NatsConnection) throws(NatsError) {
        let table = ReplyTable(prefix: connection.newInbox() + ".")
        self.table = table
        subscription = try NatsSubscription(
            connection: connection, subject: table.prefix + "*", queue: nil,
            sink: SubscriptionSink(.handler({ table.route($0) }, onComplete: nil)),
            stream: nil, retainConnection: false)
    }
}

/// The waiting requests of a `ResponseMux`, keyed by the last token of their reply subject.
final class ReplyTable: Sendable {
    enum Waiter: Sendable {
        case single(CheckedContinuation<NatsMessage, any Error>, subject: String)
        case many(@Sendable (NatsMessage) -> Void)
    }

    let prefix: String
    private let state = Mutex<(next: UInt64, waiters: [Substring: Waiter], timeouts: [Substring: Deadlines.Token])>((0, [:], [:]))

    init(prefix: String) {
        self.prefix = prefix
    }

    /// A fresh reply subject and its token.
    func nextReplySubject() -> (token: Substring, subject: String) {
        let number = state.withLock { state -> UInt64 in
            state.next += 1
            return state.next
        }
        let subject = prefix + String(number, radix: 36)
        return (subject.dropFirst(prefix.count), subject)
    }

    func register(_ token: Substring, _ waiter: Waiter) {
        state.withLock { $0.waiters[token] = waiter }
    }

    /// Remembers the timeout of a single-reply waiter, to cancel it when the reply comes first.
    func armTimeout(_ token: Substring, _ timeout: Deadlines.Token) {
        let stillWaiting = state.withLock { state -> Bool in
            guard state.waiters[token] != nil else { return false }
            state.timeouts[token] = timeout
            return true
        }
        if !stillWaiting { Deadlines.shared.cancel(timeout) }
    }

    /// Forgets a waiter; returns it if it was still registered.
    @discardableResult
    func remove(_ token: Substring) -> Waiter? {
        let (waiter, timeout) = state.withLock { ($0.waiters.removeValue(forKey: token), $0.timeouts.removeValue(forKey: token)) }
        if let timeout { Deadlines.shared.cancel(timeout) }
        return waiter
    }

    /// Fails a single-reply waiter (timeout, cancellation, publish error) unless it already completed.
    func fail(_ token: Substring, _ error: any Error) {
        if case .single(let continuation, _) = remove(token) {
            continuation.resume(throwing: error)
        }
    }

    func route(_ message: NatsMessage) {
        guard message.subject.hasPrefix(prefix) else { return }
        let token = message.subject.dropFirst(prefix.count)
        let (waiter, timeout) = state.withLock { state -> (Waiter?, Deadlines.Token?) in
            guard let waiter = state.waiters[token] else { return (nil, nil) }
            guard case .single = waiter else { return (waiter, nil) }
            state.waiters[token] = nil
            return (waiter, state.timeouts.removeValue(forKey: token))
        }
        if let timeout { Deadlines.shared.cancel(timeout) }
        switch waiter {
        case .single(let continuation, let subject):
            if message.isNoResponders {
                continuation.resume(throwing: NatsError.noResponders(subject))
            } else {
                continuation.resume(returning: message)
            }
        case .many(let deliver):
            deliver(message)
        case nil:
            break
        }
    }
}

extension NatsConnection {
    /// Sends a request and waits for the first reply. Throws `NatsError` `.timeout` after `timeout`,
    /// `.noResponders` at once when nobody subscribes to `subject`, and `CancellationError` when cancelled.
    public func request(_ subject: String, payload: Data = Data(), headers: NatsHeaders = NatsHeaders(), timeout: Duration = .seconds(5)) async throws -> NatsMessage {
        let mux = try responseMux().table
        let (token, replyTo) = mux.nextReplySubject()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<NatsMessage, any Error>) in
                mux.register(token, .single(continuation, subject: subject))
                if Task.isCancelled {
                    mux.fail(token, CancellationError())
                    return
                }
                do {
                    try publish(subject, payload: payload, headers: headers, replyTo: replyTo)
                } catch {
                    mux.fail(token, error)
                    return
                }
                mux.armTimeout(token, Deadlines.shared.schedule(after: timeout) {
                    mux.fail(token, NatsError.timeout("request on \(subject)"))
                })
            }
        } onCancel: {
            mux.fail(token, CancellationError())
        }
    }
}

/// The open end of a request published with ``NatsConnection/publishRequest(_:payload:headers:onReply:)``:
/// replies reach the handler until `close()`.
public struct ReplyInterest: Sendable {
    /// The reply subject the request carried.
    public let replySubject: String
    let table: ReplyTable
    let token: Substring

    /// Stops routing replies to the handler (late replies are dropped).
    public func close() {
        table.remove(token)
    }
}

extension NatsConnection {
    /// Publishes a request whose replies — any number of them, the server's no-responders status included —
    /// go to `onReply` on nats.c's delivery thread, through the connection's shared reply subscription (no
    /// subscribe, no extra thread per request). Close the returned interest when done.
    public func publishRequest(
        _ subject: String, payload: Data = Data(), headers: NatsHeaders = NatsHeaders(),
        onReply: @escaping @Sendable (NatsMessage) -> Void
    ) throws -> ReplyInterest {
        let table = try responseMux().table
        let (token, replyTo) = table.nextReplySubject()
        table.register(token, .many(onReply))
        do {
            try publish(subject, payload: payload, headers: headers, replyTo: replyTo)
        } catch {
            table.remove(token)
            throw error
        }
        return ReplyInterest(replySubject: replyTo, table: table, token: token)
    }
}
