import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The baseline for deploys and replays: `posix_spawn` of the workload binary straight from this process.
enum RawSpawn {
    struct Result: Encodable {
        var processes: Int
        var p50_us: Double
        var p99_us: Double
        /// Wall time to spawn all of them one after the other.
        var total_seconds: Double
    }

    /// Spawns `count` copies of `path arguments…` one after the other, timing each `posix_spawn` (it returns
    /// once the child has exec'd), then kills and reaps them all.
    static func measure(path: String, arguments: [String], count: Int) throws -> Result {
        var pids: [pid_t] = []
        var samples: [Int64] = []
        defer {
            for pid in pids { kill(pid, SIGKILL) }
            for pid in pids { var status: Int32 = 0; _ = waitpid(pid, &status, 0) }
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let started = ContinuousClock.now
        for _ in 0..<count {
            var pid: pid_t = 0
            let begin = ContinuousClock.now
            let status = posix_spawn(&pid, path, nil, nil, argv, environ)
            samples.append((ContinuousClock.now - begin).nanoseconds)
            guard status == 0 else { throw BenchError("posix_spawn \(path) failed: \(String(cString: strerror(status)))") }
            pids.append(pid)
        }
        let total = ContinuousClock.now - started
        let summary = LatencySummary(nanoseconds: samples)
        return Result(processes: count, p50_us: summary.p50_us, p99_us: summary.p99_us, total_seconds: Double(total.nanoseconds) / 1e9)
    }
}
