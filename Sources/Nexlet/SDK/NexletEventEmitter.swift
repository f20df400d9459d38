import Foundation
import NATSKit
import NexProtocol

/// Publishes nex events (`$NEX.FEED.<from>.events.<NAME>`). Workload events are published from the
/// workload's namespace. Embedding programs (the node) may pass their own emitter.
public protocol NexletEventEmitter: Sendable {
    func emit<Event: NexEvent>(_ event: Event, from: String) async throws
}

/// Publishes events as Go-compatible JSON on a NATS connection.
public struct NatsNexletEventEmitter: NexletEventEmitter {
    public let connection: NatsConnection

    /// Publishes on `connection`.
    public init(connection: NatsConnection) {
        self.connection = connection
    }

    public func emit<Event: NexEvent>(_ event: Event, from: String) async throws {
        try connection.publish(Event.subject(from: from), payload: GoJSON.encode(event))
    }
}

/// Drops every event.
public struct DiscardingNexletEventEmitter: NexletEventEmitter {
    public init() {}
    public func emit<Event: NexEvent>(_ event: Event, from: String) async throws {}
}

/// Where a runner's events go.
public enum NexletEventSink: Sendable {
    /// Published on the agent's own connection (the default; a stand-alone nexlet brings its own emitter).
    case agentConnection
    /// Not published at all.
    case none
    /// Handed to this emitter (e.g. the node's, for an embedded nexlet).
    case custom(any NexletEventEmitter)

    func emitter(for connection: NatsConnection) -> any NexletEventEmitter {
        switch self {
        case .agentConnection: return NatsNexletEventEmitter(connection: connection)
        case .none: return DiscardingNexletEventEmitter()
        case .custom(let emitter): return emitter
        }
    }
}
