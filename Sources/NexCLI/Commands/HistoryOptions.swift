import ArgumentParser
import Foundation
import NexClient

/// `--tail` and `--since` of the commands that read a feed's history (`workload logs`, `node logs`), with
/// `--follow` and `--quiet-period` (issue 14).
struct HistoryOptions: ParsableArguments {
    @Option(unconditional: HistorySettings.tail) var tail: String?
    @Option(unconditional: HistorySettings.since) var since: String?
    @OptionGroup var feed: FeedOptions

    static let settings = [HistorySettings.tail, HistorySettings.since] + FeedOptions.settings

    var flags: FlagValues {
        get throws(CLIError) { try FlagValues(of: self, settings: Self.settings) }
    }
}

extension ResolvedSettings {
    /// The window `--tail` (or `tail`, given as the setting that holds it) and `--since` describe.
    func historyWindow(tail: Setting = HistorySettings.tail) -> HistoryWindow {
        let since = optionalDuration(HistorySettings.since).map { Date().addingTimeInterval(-($0.duration / .seconds(1))) }
        return HistoryWindow(tail: optionalInt(tail), since: since)
    }
}
