import CNats
import Foundation
import OffPool

/// A JetStream context on a connection. All calls block in nats.c and therefore run off the cooperative pool.
public final class JetStream: @unchecked Sendable {
    let handle: OpaquePointer
    public let connection: NatsConnection
    /// The bound of each JetStream API call.
    public let timeout: Duration

    /// `timeout` bounds each JetStream API call (stream/KV operations).
    public init(_ connection: NatsConnection, timeout: Duration = .seconds(5)) throws(NatsError) {
        var options = jsOptions()
        try check(jsOptions_Init(&options), "JetStream options")
        options.Wait = timeout.milliseconds
        var js: OpaquePointer?
        try check(natsConnection_JetStream(&js, connection.handle, &options), "JetStream context")
        guard let js else { throw NatsError(kind: .other, message: "JetStream context: none returned") }
        handle = js
        self.connection = connection
        self.timeout = timeout
    }

    deinit {
        jsCtx_Destroy(handle)
    }

    /// Runs a blocking JetStream call on the blocking queue.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Blocking.run(body)
    }
}
