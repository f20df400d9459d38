import Dispatch

/// Runs blocking nats.c calls (connect, flush, JetStream, KV) on a dedicated concurrent dispatch queue,
/// never on Swift's cooperative thread pool, and resumes the caller when they return.
enum Blocking {
    private static let queue = DispatchQueue(label: "natskit.blocking", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
