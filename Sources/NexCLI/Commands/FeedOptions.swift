import ArgumentParser

/// `--follow` and `--quiet-period`, shared by the commands that read a live feed (`events`, `workload logs`).
struct FeedOptions: ParsableArguments {
    @Flag(name: [.customLong("follow"), .customShort("F")], inversion: .prefixedNo, help: "Keep printing until interrupted.")
    var follow: Bool?

    @Option(name: .customLong("quiet-period"), help: ArgumentHelp(
        "Without --follow: stop after this long without new messages, at most after five times as long (default 2s).",
        valueName: "duration"))
    var quietPeriod: String?

    /// The flags as settings values.
    var flags: FlagValues {
        var flags = FlagValues()
        flags.add(FeedSettings.follow, follow)
        flags.add(FeedSettings.quiet, quietPeriod)
        return flags
    }
}
