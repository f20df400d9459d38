import NATSKit

extension NexError {
    /// The error a reply carries (§6.3), or nil for a normal reply.
    public init?(reply: NatsMessage) {
        self.init(replyHeaders: reply.headers.dictionary, body: reply.payload)
    }
}
