#if os(Linux)
import Foundation
/// When and how often a service is restarted after its process exits.
///
/// Restart `n` (1-based) waits `initialDelay * multiplier^(n-1)`, at most `maximumDelay`.
/// After `maximumRestarts` restarts the next exit is final (the supervisor gives up), so a
/// service runs at most `maximumRestarts + 1` times.
public struct RestartPolicy: Sendable, Hashable {
    public var initialDelay: Duration
    public var multiplier: Double
    public var maximumDelay: Duration
    public var maximumRestarts: Int

    public init(
        initialDelay: Duration = .milliseconds(250),
        multiplier: Double = 2,
        maximumDelay: Duration = .seconds(30),
        maximumRestarts: Int = 3
    ) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.maximumRestarts = maximumRestarts
    }

    /// The default: 250 ms doubling up to 30 s, 3 restarts.
    public static let standard = RestartPolicy()

    /// The wait before restart number `attempt` (1-based).
    public func delay(beforeRestart attempt: Int) -> Duration {
        let factor = Foundation.pow(max(multiplier, 1), Double(max(attempt - 1, 0)))
        let seconds = initialDelay.seconds * factor
        guard seconds.isFinite, seconds < maximumDelay.seconds else {
            return max(maximumDelay, .zero)
        }
        return max(initialDelay * factor, .zero)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
#endif
