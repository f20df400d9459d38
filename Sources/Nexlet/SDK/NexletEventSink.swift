import Foundation
import Logging
import NATSKit
import NexProtocol

/// Where a runner's events go.
public enum NexletEventSink: Sendable {
    /// Published on the agent's own connection (the default; a stand-alone nexlet brings its own emitter).
    case agentConnection
    /// Not published at all.
    case none
    /// Handed to this emitter (e.g. the node's, for an embedded nexlet).
    case custom(any EventEmitter)

    /// The emitter for one registration; publishing failures on the agent connection are logged to `logger`.
    func emitter(for connection: NatsConnection, logger: Logger) -> any EventEmitter {
        switch self {
        case .agentConnection: return NatsEventEmitter(connection: connection, failures: logger)
        case .none: return NoEventEmitter()
        case .custom(let emitter): return emitter
        }
    }
}
