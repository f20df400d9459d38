import Foundation
import Synchronization

/// One request to a micro endpoint. Reply exactly once with `respond` or `respondError`; later replies are
/// refused (returns false), so no handler can double-reply.
public struct MicroRequest: Sendable {
    public let message: NatsMessage
    let connection: NatsConnection
    let replied: ReplyOnce
    let stats: EndpointStats

    public var subject: String { message.subject }
    public var payload: Data { message.payload }
    public var headers: NatsHeaders { message.headers }

    /// Sends the reply. Returns false when a reply was already sent or there is no reply subject.
    @discardableResult
    public func respond(_ payload: Data = Data(), headers: NatsHeaders = NatsHeaders()) -> Bool {
        guard message.replyTo != nil, replied.claim() else { return false }
        replied.status(headers[MicroService.errorCodeHeader].flatMap { Int($0) } ?? 200)
        do {
            try connection.respond(to: message, payload: payload, headers: headers)
            return true
        } catch {
            stats.recordError("500:\(error)")
            return false
        }
    }

    /// Sends a micro error reply: headers `Nats-Service-Error` (description) and `Nats-Service-Error-Code`
    /// (code), plus `body` and any extra headers.
    @discardableResult
    public func respondError(code: String, description: String, body: Data = Data(), headers: NatsHeaders = NatsHeaders()) -> Bool {
        var all = headers
        all.set(MicroService.errorHeader, description)
        all.set(MicroService.errorCodeHeader, code)
        stats.recordError("\(code):\(description)")
        return respond(body, headers: all)
    }

    /// Whether a reply has been sent.
    public var hasReplied: Bool { replied.isClaimed }

    /// The status of the reply that was sent: its `Nats-Service-Error-Code` when it is a micro error (a number),
    /// 200 otherwise; nil while none was sent. (The node counts its deploys by it.)
    public var replyStatus: Int? {
        let status = replied.sentStatus
        return status == 0 ? nil : status
    }
}

final class ReplyOnce: Sendable {
    private let flag = Atomic<Bool>(false)
    private let sent = Atomic<Int>(0)
    func claim() -> Bool { flag.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged }
    var isClaimed: Bool { flag.load(ordering: .acquiring) }
    func status(_ value: Int) { sent.store(value, ordering: .releasing) }
    var sentStatus: Int { sent.load(ordering: .acquiring) }
}
