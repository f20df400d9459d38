import ArgumentParser
import NexClient
import NexProtocol

/// `nex workload stop <id>` (alias `undeploy`).
struct WorkloadStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a workload.", aliases: ["undeploy"])

    @Argument(help: ArgumentHelp("The workload id.", valueName: "id"))
    var id: String

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: [], flags: FlagValues()) else { return }
        let response: StopWorkloadResponse
        do {
            response = try await context.withSession { session in try await session.client.stopWorkload(id: id) }
        } catch let error as NexError where error.status == NexErrorCode.notFound {
            throw WorkloadLookup.notFound(id, namespace: context.namespace)
        }
        if context.json { try context.printWire(response) }
        guard response.stopped else {
            if context.json { throw ExitCode(ExitStatus.failure) }
            throw WorkloadLookup.notFound(id, namespace: context.namespace)
        }
        if !context.json { Console.out("Workload \(id) stopped") }
    }
}
