import Foundation
import NATSKit
import NexProtocol

extension NexError {
    /// Recognises an error reply the way the Go client does (protocol.md §6.3): nil when `message` has no
    /// `Nats-Service-Error-Code` header. Agent errors (code 100) forwarded by ADEPLOY are errors too.
    public init?(reply message: NatsMessage) {
        self.init(replyHeaders: message.headers.dictionary, body: message.payload)
    }
}

/// Turning replies into values or errors.
enum ReplyDecoder {
    /// The reply's error if it is an error reply, else the body decoded as `T`; a body that does not decode
    /// is a 500 naming `what` and the decoder's complaint.
    static func decode<T: Decodable>(_ type: T.Type, from message: NatsMessage, what: String) -> Result<T, NexError> {
        if let error = NexError(reply: message) { return .failure(error) }
        return decodeBody(type, from: message.payload, what: what)
    }

    /// The body decoded as `T` (Go rules: required keys, enums), or a 500.
    static func decodeBody<T: Decodable>(_ type: T.Type, from payload: Data, what: String) -> Result<T, NexError> {
        do {
            return .success(try GoJSON.decode(type, from: payload))
        } catch {
            return .failure(.internalError("failed to decode \(what): \(error)", body: "failed to decode \(what)"))
        }
    }

    /// Encodes a request body; a failure is a 500.
    static func encode<T: Encodable>(_ value: T, what: String) throws(NexError) -> Data {
        do {
            return try GoJSON.encode(value)
        } catch {
            throw .internalError("failed to encode \(what): \(error)", body: "failed to encode \(what)")
        }
    }
}
