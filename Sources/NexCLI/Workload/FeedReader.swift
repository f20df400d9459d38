import Foundation
import NexClient
import Synchronization
import UnixSignals

/// Reads a live feed: with `follow`, until SIGINT/SIGTERM; otherwise until nothing arrived for `quiet`
/// (the feeds have no history, so this shows what is being published right now).
enum FeedReader {
    static func read<Element: Sendable>(
        _ feed: NexFeed<Element>, follow: Bool, quiet: Duration, handle: @escaping @Sendable (Element) -> Void
    ) async {
        let lastActivity = Mutex(ContinuousClock.now)
        let stopper: Task<Void, Never>
        if follow {
            stopper = await cancelOnInterrupt { feed.cancel() }
        } else {
            // A chatty workload is never quiet: stop at the latest after five quiet periods.
            let cap = ContinuousClock.now + quiet * 5
            stopper = Task {
                while !Task.isCancelled {
                    let now = ContinuousClock.now
                    let idle = now - lastActivity.withLock { $0 }
                    if idle >= quiet || now >= cap {
                        feed.cancel()
                        return
                    }
                    try? await Task.sleep(for: min(quiet - idle, cap - now))
                }
            }
        }
        for await element in feed {
            lastActivity.withLock { $0 = ContinuousClock.now }
            handle(element)
        }
        stopper.cancel()
    }

    /// A task that calls `cancel` on the first SIGINT or SIGTERM (what `--follow` readers stop on); cancel the
    /// task when reading ends.
    static func cancelOnInterrupt(_ cancel: @escaping @Sendable () -> Void) async -> Task<Void, Never> {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return Task {
            for await _ in signals {
                cancel()
                return
            }
        }
    }
}
