import ArgumentParser
import NexClient
import NexProtocol

/// `nex workload clone <id>` (aliases `cp`, `copy`): start a copy, optionally stopping the original.
struct WorkloadCloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone", abstract: "Start a copy of a workload (with --stop: and stop the original).", aliases: ["cp", "copy"])

    @Argument(help: ArgumentHelp("The workload id.", valueName: "id"))
    var id: String

    @Option(WorkloadSettings.tags) var tags: [String] = []

    @Flag(WorkloadSettings.stop) var stop: Bool?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: [WorkloadSettings.tags, WorkloadSettings.stop])
        guard let context = try CommandContext.make(globals: globals, settings: [WorkloadSettings.tags, WorkloadSettings.stop], flags: flags) else { return }
        let placement = context.settings.map(WorkloadSettings.tags)
        let stopOriginal = context.settings.bool(WorkloadSettings.stop)
        let result: CloneResult
        do {
            result = try await context.withSession { session in
                try await session.client.cloneWorkload(id: id, tags: placement.isEmpty ? nil : placement, stopOriginal: stopOriginal)
            }
        } catch let error as NexError where error.status == NexErrorCode.notFound && error.body == "workload not found" {
            throw WorkloadLookup.notFound(id, namespace: context.namespace)
        } catch let error as NexError where error.body == "no nodes available for placement" {
            throw CLIError("no node bid for the copy of \(id): \(error.description)", hint: "check --tags and \"nex node list\"")
        } catch let error as NexError {
            throw CLIError("cloning workload \(id) failed: \(error.description)")
        }
        if context.json {
            try context.printWire(result.response)
        } else {
            Console.out("Workload \(result.response.name) [\(result.response.id)] started as a copy of \(id)")
        }
        switch result.originalStop {
        case .success(let stop) where stop.stopped:
            if !context.json { Console.out("Original workload [\(id)] stopped") }
        case .success:
            throw CLIError("failed to stop original workload [\(id)]: not found", hint: "stop it with \"nex workload stop \(id)\"")
        case .failure(let error):
            throw CLIError("failed to stop original workload [\(id)]: \(error.description)", hint: "stop it with \"nex workload stop \(id)\"")
        case nil:
            break
        }
    }
}
