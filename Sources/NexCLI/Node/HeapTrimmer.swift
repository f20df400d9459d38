#if os(Linux)
import Glibc
import ServiceLifecycle

/// Hands freed heap memory back to the kernel every `interval` while a node runs. glibc keeps what bursts of
/// work (deploys, listings of thousands of workloads, a replay) freed in its arenas, fragmented, for reuse;
/// a long-running node would keep that high-water mark resident for good. `malloc_trim(0)` releases the free
/// pages of every arena and costs well under a millisecond on a node's heap. A `Service`: it ends on graceful
/// shutdown or cancellation.
struct HeapTrimmer: Service, CustomStringConvertible {
    let interval: Duration

    var description: String { "heap trimmer" }

    /// glibc's `int malloc_trim(size_t pad)`, which Swift's Glibc module does not export (nil elsewhere).
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }

    func run() async throws {
        guard let trim = Self.trim else {
            try? await gracefulShutdown()
            return
        }
        let interval = self.interval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                _ = trim(0)
            }
        }
    }
}
#endif
