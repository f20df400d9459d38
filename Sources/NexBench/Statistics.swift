/// Percentiles of a set of durations, in microseconds.
struct LatencySummary: Encodable {
    var count: Int
    var p50_us: Double
    var p90_us: Double
    var p99_us: Double
    var mean_us: Double

    init(nanoseconds samples: [Int64]) {
        let sorted = samples.sorted()
        count = sorted.count
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
            return Double(sorted[index]) / 1000
        }
        p50_us = percentile(0.50)
        p90_us = percentile(0.90)
        p99_us = percentile(0.99)
        mean_us = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1000
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
