import Foundation
import NexClient

/// Reads a feed from its history stream (issue 14): the window's records, then, with `follow`, the new ones
/// until SIGINT/SIGTERM; without `follow` it returns once the history has been shown. When the history cannot be
/// read (no JetStream, no node keeps history, credentials without the JetStream API) it says so on stderr and
/// reads the live feed instead (``FeedReader``).
enum HistoryReader {
    static func read<Element: Sendable>(
        follow: Bool, quiet: Duration,
        history: () async throws -> NexHistoryFeed<Element>,
        live: () async throws -> NexFeed<Element>,
        handle: @escaping @Sendable (Element, _ sequence: UInt64?, _ time: Date?) -> Void
    ) async throws {
        let feed: NexHistoryFeed<Element>
        do {
            feed = try await history()
        } catch let unavailable as FeedHistoryUnavailable {
            Console.err("nex: no history: \(unavailable.reason); showing live output only")
            let liveFeed = try await live()
            await FeedReader.read(liveFeed, follow: follow, quiet: quiet) { handle($0, nil, nil) }
            return
        }
        let stopper: Task<Void, Never>? = follow ? await FeedReader.cancelOnInterrupt { feed.cancel() } : nil
        defer { stopper?.cancel() }
        reading: for await record in feed {
            switch record {
            case .record(let element, let sequence, let time):
                handle(element, sequence, time)
            case .caughtUp:
                if !follow { break reading }
            }
        }
        // Before the session closes the connection.
        await feed.stop()
        if feed.droppedCount > 0 {
            Console.err("nex: \(feed.droppedCount) records were dropped because output could not keep up")
        }
    }
}
