import ArgumentParser

/// `nex workload …` (alias `workloads`).
struct WorkloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Start, stop, list and inspect workloads.",
        subcommands: [
            WorkloadStartCommand.self, WorkloadStopCommand.self, WorkloadListCommand.self, WorkloadCloneCommand.self,
            WorkloadInfoCommand.self, WorkloadLogsCommand.self,
        ],
        aliases: ["workloads"]
    )

    @OptionGroup
    var globals: GlobalOptions
}
