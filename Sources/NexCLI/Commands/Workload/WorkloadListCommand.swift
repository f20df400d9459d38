import ArgumentParser
import Foundation
import NexClient
import NexProtocol

/// `nex workload list` (alias `ls`): the workloads of the namespace (`system` lists every namespace).
struct WorkloadListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List workloads.", aliases: ["ls"])

    @Option(WorkloadSettings.filter) var filter: [String] = []

    @Flag(WorkloadSettings.showMetadata) var showMetadata: Bool?

    @Option(name: .customLong("type"), help: .hidden)
    var type: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: [WorkloadSettings.filter, WorkloadSettings.showMetadata], unbound: ["type"])
        guard let context = try CommandContext.make(globals: globals, settings: [WorkloadSettings.filter, WorkloadSettings.showMetadata], flags: flags) else { return }
        let ids = context.settings.list(WorkloadSettings.filter)
        let outcome = try await context.withSession { session in
            try await session.client.listWorkloads(filter: ids.isEmpty ? nil : ids)
        }
        if outcome.value.perNode.isEmpty, !outcome.errors.isEmpty {
            throw CLIError("listing workloads failed: \(NexErrorList(outcome.errors).description)")
        }
        context.warn(about: outcome.errors)
        if context.json {
            try context.printWire(outcome.value.perNode)
            return
        }
        let workloads = WorkloadViews.sorted(outcome.value.all)
        guard !workloads.isEmpty else {
            Console.out("No workloads found")
            return
        }
        let table = WorkloadViews.table(
            workloads, namespace: context.namespace, showMetadata: context.settings.bool(WorkloadSettings.showMetadata))
        Console.out(table.render())
    }
}
