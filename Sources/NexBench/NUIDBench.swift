import NexProtocol

/// How fast one `NUID` generator hands out ids (every bid, workload id and client-made error takes one).
/// Moved here from the tests, where a wall-clock bound could fail on a loaded machine.
enum NUIDBench {
    struct Figures: Encodable {
        var ids: Int
        var ns_per_id: Double
        var ids_per_second: Double
    }

    /// Takes `count` ids from one generator on this thread, best of three rounds (the first warms up).
    static func measure(count: Int) -> Figures {
        let generator = NUID()
        var best = Duration.seconds(3600)
        for _ in 0..<3 {
            let began = ContinuousClock.now
            for _ in 0..<count { _ = generator.next() }
            best = min(best, ContinuousClock.now - began)
        }
        let nanoseconds = Double(max(best.nanoseconds, 1))
        return Figures(ids: count, ns_per_id: nanoseconds / Double(count), ids_per_second: Double(count) / (nanoseconds / 1e9))
    }
}
