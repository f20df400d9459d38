import Dispatch

/// Runs blocking calls (nats.c connect, flush, JetStream and KV calls; spawning processes; hashing, copying
/// and recording files) on one dedicated concurrent dispatch queue, never on Swift's cooperative thread
/// pool, and resumes the caller when they return. The one such queue of the package (NATSKit, ProcessKit
/// and the native nexlet all use it).
public enum Blocking {
    private static let queue = DispatchQueue(label: "nex.blocking", qos: .userInitiated, attributes: .concurrent)

    /// Runs `body` on the blocking queue and returns its value or throws its error.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `body`, which cannot throw, on the blocking queue and returns its value.
    public static func value<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: body())
            }
        }
    }
}
