import Foundation
import Synchronization

/// Request counters of one micro endpoint, as `$SRV.STATS` reports them.
final class EndpointStats: Sendable {
    struct Snapshot: Sendable {
        var requests = 0
        var errors = 0
        var lastError = ""
        var processingNanos: Int64 = 0
    }

    private let state = Mutex(Snapshot())

    func recordRequest(since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        recordRequest(nanos: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func recordRequest(nanos: Int64) {
        state.withLock {
            $0.requests += 1
            $0.processingNanos += nanos
        }
    }

    func recordError(_ text: String) {
        state.withLock {
            $0.errors += 1
            $0.lastError = text
        }
    }

    var snapshot: Snapshot { state.withLock { $0 } }
}
