import Foundation
import Logging
import NATSKit

/// Where nex events go: the node's own events and, from nexlets (embedded or stand-alone), workload events.
/// `from` is the token after `$NEX.FEED` (node id for node events, namespace for workload events).
///
/// Emitting never throws and never waits: events are best effort, as in the reference (a publish is
/// buffered by nats.c; an emitter that cannot deliver an event drops it, and may log that).
public protocol EventEmitter: Sendable {
    func emit<Event: NexEvent>(_ event: Event, from: String)
}

/// Publishes nothing (the node's default, as in the reference).
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

/// Publishes every event as Go-compatible JSON on `$NEX.FEED.<from>.events.<NAME>`.
public struct NatsEventEmitter: EventEmitter {
    public let connection: NatsConnection
    let failures: Logger?

    /// Publishes on `connection`; an event that cannot be encoded or published is logged as a warning to
    /// `failures` when given, else dropped silently.
    public init(connection: NatsConnection, failures: Logger? = nil) {
        self.connection = connection
        self.failures = failures
    }

    public func emit<Event: NexEvent>(_ event: Event, from: String) {
        do {
            try connection.publish(Event.subject(from: from), payload: GoJSON.encode(event))
        } catch {
            failures?.warning("cannot emit \(Event.eventName.rawValue) event", metadata: ["from": "\(from)", "error": "\(error)"])
        }
    }
}
