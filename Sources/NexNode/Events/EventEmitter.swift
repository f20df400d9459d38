import Foundation
import Logging
import NATSKit
import NexProtocol

/// Where node (and embedded agent) events go. `from` is the token after `$NEX.FEED` (node id for node
/// events, namespace for workload events).
public protocol EventEmitter: Sendable {
    func emit<Event: NexEvent>(_ event: Event, from: String)
}

/// Publishes nothing (the default, as in the reference).
public struct NoEventEmitter: EventEmitter {
    public init() {}
    public func emit<Event: NexEvent>(_ event: Event, from: String) {}
}

/// Writes every event to a logger.
public struct LogEventEmitter: EventEmitter {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func emit<Event: NexEvent>(_ event: Event, from: String) {
        let body = (try? GoJSON.encodeString(event)) ?? "{}"
        logger.info("event \(Event.eventName.rawValue)", metadata: ["from": "\(from)", "event": "\(body)"])
    }
}

/// Publishes every event as JSON on `$NEX.FEED.<from>.events.<NAME>`.
public struct NatsEventEmitter: EventEmitter {
    let connection: NatsConnection

    public init(connection: NatsConnection) {
        self.connection = connection
    }

    public func emit<Event: NexEvent>(_ event: Event, from: String) {
        guard let payload = try? GoJSON.encode(event) else { return }
        try? connection.publish(Event.subject(from: from), payload: payload)
    }
}
