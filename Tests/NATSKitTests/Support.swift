import Foundation
import NATSKit
import NATSTestSupport

/// Connects to `server` with test-friendly defaults.
func connect(_ server: NATSServer, name: String = "test", auth: NatsAuth = .none) async throws -> NatsConnection {
    try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: name, auth: auth, reconnectWait: .milliseconds(50)))
}

/// Collects `count` messages from a subscription, failing after `timeout`.
func collect(_ subscription: NatsSubscription, count: Int, timeout: Duration = .seconds(5)) async throws -> [NatsMessage] {
    try await withDeadline(timeout, "receiving \(count) messages") {
        var received: [NatsMessage] = []
        for await message in subscription {
            received.append(message)
            if received.count == count { break }
        }
        return received
    }
}

extension Data {
    init(_ text: String) { self = Data(text.utf8) }
}
