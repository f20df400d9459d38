import Dispatch

/// Runs blocking file work (hashing and copying artifacts, state records) on a dedicated queue instead of
/// the cooperative pool.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "nexlet.native.io", qos: .userInitiated, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
