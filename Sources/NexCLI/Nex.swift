import ArgumentParser

/// The `nex` command: operate a nex cluster (nodes, workloads, keys).
@main
struct Nex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nex",
        abstract: "NATS execution engine: run and supervise workloads on nodes connected by NATS.",
        version: NexVersion.current,
        subcommands: []
    )
}
