import ArgumentParser

/// The `nex` command: run nodes and operate a nex cluster (nodes, workloads, events, keys).
struct Nex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nex",
        abstract: "The NATS Execution Engine: run and supervise workloads on nodes connected by NATS.",
        discussion: """
            Settings come from flags, then config files (/etc/nex/config.json, <user config dir>/nex/config.json, \
            ./config.json, --config; the last one that defines a key wins), then environment variables (NEX_ and \
            the flag name in capitals, - and . as _: NEX_NAMESPACE, NEX_NATS_SERVERS), then defaults. A bad value \
            anywhere is an error naming where it came from. --check shows the result and where each value came from.
            """,
        version: NexVersion.description,
        subcommands: [NodeCommand.self, WorkloadCommand.self, EventsCommand.self, KeysCommand.self, StateCommand.self, QuotaCommand.self]
    )

    @OptionGroup
    var globals: GlobalOptions
}
