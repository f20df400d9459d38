import ArgumentParser
import NexClient
import NexProtocol

/// `nex workload info <id>`: one workload's summary.
struct WorkloadInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show a workload's details.")

    @Argument(help: ArgumentHelp("The workload id (or name).", valueName: "id"))
    var id: String

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        let summary = try await context.withSession { session in try await WorkloadLookup.find(id, client: session.client) }
        if context.json {
            try context.printWire(summary)
            return
        }
        var block = KeyValueBlock(title: "Workload \(summary.id)")
        block.append("Name", summary.name)
        block.append("Namespace", summary.namespace ?? "--")
        block.append("Type", summary.workloadType)
        block.append("Lifecycle", summary.workloadLifecycle)
        block.append("State", summary.workloadState.rawValue)
        block.append("Started", summary.startTime.isEmpty ? "--" : "\(summary.startTime) (\(TimeText.ago(rfc3339: summary.startTime)))")
        block.append("Runtime", summary.runtime.isEmpty ? "--" : summary.runtime)
        // issue 14: limits. What the nexlet measured (native: from the workload's cgroup or /proc).
        let metadata = summary.metadata ?? [:]
        if let cpu = metadata["cpu_seconds"] { block.append("CPU", "\(cpu)s" + (metadata["cpu_percent"].map { " (\($0)% lately)" } ?? "")) }
        if let memory = metadata["memory"] { block.append("Memory", memory) }
        if let limits = metadata["limits"] { block.append("Limits", limits) }
        if let lastExit = metadata["last_exit"] { block.append("Last exit", lastExit) }
        block.append("Tags", NodeViews.tagText(summary.tags))
        block.append("Metadata", NodeViews.tagText(summary.metadata))
        Console.out(block.render())
    }
}
