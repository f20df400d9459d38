import Foundation
import NexClient
import Synchronization

/// Reads a live feed: with `follow`, until SIGINT/SIGTERM; otherwise until nothing arrived for `quiet`
/// (the feeds have no history, so this shows what is being published right now).
enum FeedReader {
    static func read<Element: Sendable>(
        _ feed: NexFeed<Element>, follow: Bool, quiet: Duration, handle: @escaping @Sendable (Element) -> Void
    ) async {
        let lastActivity = Mutex(ContinuousClock.now)
        let stopper: Task<Void, Never>
        if follow {
            let trap = SignalTrap()
            stopper = Task {
                for await _ in trap.signals {
                    feed.cancel()
                    return
                }
            }
        } else {
            stopper = Task {
                while !Task.isCancelled {
                    let idle = ContinuousClock.now - lastActivity.withLock { $0 }
                    if idle >= quiet {
                        feed.cancel()
                        return
                    }
                    try? await Task.sleep(for: quiet - idle)
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
