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
            let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
            stopper = Task {
                for await _ in signals {
                    feed.cancel()
                    return
                }
            }
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
}
