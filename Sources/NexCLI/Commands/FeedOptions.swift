import ArgumentParser

/// `--follow` and `--quiet-period`, shared by the commands that read a live feed (`events`, `workload logs`).
struct FeedOptions: ParsableArguments {
    @Flag(FeedSettings.follow) var follow: Bool?
    @Option(FeedSettings.quiet) var quietPeriod: String?

    static let settings = [FeedSettings.follow, FeedSettings.quiet]

    /// The flags as settings values.
    var flags: FlagValues {
        get throws(CLIError) { try FlagValues(of: self, settings: Self.settings) }
    }
}
