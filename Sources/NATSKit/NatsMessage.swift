import CNats
import Foundation

/// A message received from NATS, copied out of nats.c so it can cross threads and outlive the callback.
public struct NatsMessage: Sendable {
    public var subject: String
    public var replyTo: String?
    public var payload: Data
    public var headers: NatsHeaders
    /// The NATS protocol status of a headers-only status message (503 = no responders), nil for normal messages.
    public var status: Int?

    public init(subject: String, replyTo: String? = nil, payload: Data = Data(), headers: NatsHeaders = NatsHeaders(), status: Int? = nil) {
        self.subject = subject
        self.replyTo = replyTo
        self.payload = payload
        self.headers = headers
        self.status = status
    }

    /// True for the server's "no responders" status reply to a request.
    public var isNoResponders: Bool { status == 503 }

    /// The payload as UTF-8 text (invalid sequences repaired).
    public var string: String { String(decoding: payload, as: UTF8.self) }
}

extension NatsMessage {
    /// Copies subject, reply, payload and headers out of a nats.c message. Does not destroy it.
    init(copying msg: OpaquePointer) {
        subject = natsMsg_GetSubject(msg).map { String(cString: $0) } ?? ""
        replyTo = natsMsg_GetReply(msg).flatMap { $0.pointee == 0 ? nil : String(cString: $0) }
        let length = Int(natsMsg_GetDataLength(msg))
        if length > 0, let data = natsMsg_GetData(msg) {
            payload = Data(bytes: data, count: length)
        } else {
            payload = Data()
        }
        headers = NatsHeaders()
        let code = nexshim_msg_status(msg)
        status = code == 0 ? nil : Int(code)
        var keys: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var count: Int32 = 0
        guard natsMsgHeader_Keys(msg, &keys, &count) == NATS_OK, let keys else { return }
        defer { free(keys) }
        for index in 0..<Int(count) {
            guard let keyPointer = keys[index] else { continue }
            let name = String(cString: keyPointer)
            var values: UnsafeMutablePointer<UnsafePointer<CChar>?>?
            var valueCount: Int32 = 0
            guard natsMsgHeader_Values(msg, keyPointer, &values, &valueCount) == NATS_OK, let values else { continue }
            defer { free(values) }
            for valueIndex in 0..<Int(valueCount) {
                if let value = values[valueIndex] { headers.add(name, String(cString: value)) }
            }
        }
    }
}
