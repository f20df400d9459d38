import Foundation
import Minter
import NATSKit

/// Proof that a REGISTER or RREGISTER comes from the holder of an agent key (decisions.md, issue 12): an
/// ed25519 signature over the request subject (node and agent id, or the nexus), the reply subject the answer
/// goes to, a timestamp and the payload. A captured request is useless elsewhere: another subject or reply
/// subject breaks the signature, an old one is outside the window, and nodes refuse a signature they have seen.
///
/// It lives in NexProtocol because it is part of the nexlet protocol's wire format, written by the nexlet SDK
/// and checked by the node; the ed25519 keys come from Minter (which depends on nothing of nex).
public enum AgentProof {
    /// The environment variable through which a node hands a local nexlet process the seed of its identity key.
    public static let identitySeedVariable = "NEX_AGENT_IDENTITY_SEED"

    /// How far a request's timestamp may be from the node's clock.
    public static let window: Duration = .seconds(30)

    /// A verified proof: who signed, and the signature (for replay tracking).
    public struct Verified: Sendable, Equatable {
        public var key: String
        public var signature: String
    }

    /// Why a proof was not accepted.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case incomplete(String)
        case malformed(String)
        case badSignature
        case outsideWindow

        public var description: String {
            switch self {
            case .incomplete(let missing): "the request carries \(NexHeader.agentKey) but no \(missing)"
            case .malformed(let reason): "malformed proof: \(reason)"
            case .badSignature: "\(NexHeader.agentSignature) does not verify for this request and key"
            case .outsideWindow: "\(NexHeader.agentTimestamp) is more than \(AgentProof.window) away from the node's clock"
            }
        }
    }

    /// The bytes signed for a request.
    static func statement(subject: String, replyTo: String, timestamp: String, payload: Data) -> [UInt8] {
        Array("nex-agent-proof-v1\n\(subject)\n\(replyTo)\n\(timestamp)\n".utf8) + Array(payload)
    }

    /// The headers proving that `key` sends `payload` to `subject` with replies to `replyTo`, now.
    public static func headers(signing key: KeyPair, subject: String, replyTo: String, payload: Data, now: Date = Date()) throws -> NatsHeaders {
        let timestamp = String(Int64((now.timeIntervalSince1970 * 1_000_000_000).rounded(.down)))
        let signature = try key.sign(statement(subject: subject, replyTo: replyTo, timestamp: timestamp, payload: payload))
        var headers = NatsHeaders()
        headers.set(NexHeader.agentKey, key.publicKey)
        headers.set(NexHeader.agentTimestamp, timestamp)
        headers.set(NexHeader.agentSignature, Data(signature).base64EncodedString())
        return headers
    }

    /// Checks a received request's proof. nil when it carries none (an unproven, legacy request).
    public static func verify(_ message: NatsMessage, now: Date = Date()) -> Result<Verified, Failure>? {
        guard let key = message.headers[NexHeader.agentKey], !key.isEmpty else { return nil }
        guard let signatureText = message.headers[NexHeader.agentSignature], !signatureText.isEmpty else {
            return .failure(.incomplete(NexHeader.agentSignature))
        }
        guard let timestamp = message.headers[NexHeader.agentTimestamp], !timestamp.isEmpty else {
            return .failure(.incomplete(NexHeader.agentTimestamp))
        }
        guard let replyTo = message.replyTo, !replyTo.isEmpty else { return .failure(.malformed("the request has no reply subject")) }
        let signer: KeyPair
        do {
            signer = try KeyPair(publicKey: key)
        } catch {
            return .failure(.malformed("\(NexHeader.agentKey) is not a public nkey: \(error)"))
        }
        guard signer.type != .curve else { return .failure(.malformed("\(NexHeader.agentKey) is a curve key, not a signing key")) }
        guard let nanoseconds = Int64(timestamp) else { return .failure(.malformed("\(NexHeader.agentTimestamp) is not an integer")) }
        guard let signature = Data(base64Encoded: signatureText), signature.count == 64 else {
            return .failure(.malformed("\(NexHeader.agentSignature) is not a base64 ed25519 signature"))
        }
        let skew = abs(now.timeIntervalSince1970 - Double(nanoseconds) / 1_000_000_000)
        guard skew <= Double(window.components.seconds) else { return .failure(.outsideWindow) }
        let signed = statement(subject: message.subject, replyTo: replyTo, timestamp: timestamp, payload: message.payload)
        guard signer.verify(signed, signature: Array(signature)) else { return .failure(.badSignature) }
        return .success(Verified(key: signer.publicKey, signature: signatureText))
    }

    /// Sends a signed request and waits for the first reply. The reply subject is chosen here (it is part of
    /// what is signed). Throws `NatsError` `.timeout` or `.noResponders` like `NatsConnection.request`.
    public static func request(
        on connection: NatsConnection, subject: String, payload: Data, signing key: KeyPair,
        headers extra: NatsHeaders = NatsHeaders(), timeout: Duration
    ) async throws -> NatsMessage {
        let inbox = connection.newInbox()
        let subscription = try connection.subscribe(inbox)
        defer { subscription.unsubscribe() }
        try subscription.autoUnsubscribe(after: 1)
        var headers = try headers(signing: key, subject: subject, replyTo: inbox, payload: payload)
        for field in extra { field.values.forEach { headers.add(field.name, $0) } }
        try connection.publish(subject, payload: payload, headers: headers, replyTo: inbox)
        let reply = try await withThrowingTaskGroup(of: NatsMessage?.self) { group in
            group.addTask {
                for await message in subscription { return message }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        guard let reply else { throw NatsError.timeout("request on \(subject)") }
        if reply.isNoResponders { throw NatsError.noResponders(subject) }
        return reply
    }
}
