import ArgumentParser
import Foundation
import JSONSchema
import NexClient
import NexProtocol

/// `nex workload start` (aliases `run`, `deploy`): auction, check the start request against the winning
/// bid, deploy.
struct WorkloadStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a workload on a node that bids for it.",
        discussion: """
            The definition comes from the flags and a Nexfile (-f, or ./Nexfile when present; YAML or JSON with \
            name, description, tags, type, lifecycle, start_request). Flags typed on the command line win over \
            the Nexfile. The start request is checked against the winning nexlet's schema before deploying.
            """,
        aliases: ["run", "deploy"])

    @Option(WorkloadSettings.tags) var tags: [String] = []
    @Option(WorkloadSettings.type) var type: String?
    @Option(WorkloadSettings.name) var name: String?
    @Option(WorkloadSettings.description) var description: String?
    @Option(WorkloadSettings.lifecycle) var lifecycle: String?
    @Option(WorkloadSettings.startRequest) var startRequest: String?
    @Option(WorkloadSettings.nexfile) var nexfile: String?
    @Flag(WorkloadSettings.encryptEnv) var encryptEnv: Bool?
    @Option(WorkloadSettings.memory) var memory: String?
    @Option(WorkloadSettings.cpu) var cpu: String?
    @Option(WorkloadSettings.pids) var pids: Int?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: WorkloadSettings.start)
        guard let context = try CommandContext.make(globals: globals, settings: WorkloadSettings.start, flags: flags) else { return }
        let definition = try WorkloadDefinition.resolve(context.settings)
        let encrypt = context.settings.optionalBool(WorkloadSettings.encryptEnv)
        let response = try await context.withSession { session in
            try await Self.start(definition, encrypt: encrypt, client: session.client)
        }
        if context.json {
            try context.printWire(response)
        } else {
            Console.out("Workload \(response.name) [\(response.id)] started")
        }
    }

    static func start(_ definition: WorkloadDefinition, encrypt: Bool?, client: NexClient) async throws -> StartWorkloadResponse {
        let tags = definition.tags.isEmpty ? nil : definition.tags
        // The run request is fitted to the bid NexClient.deploy chooses, once the auction is over.
        let request = StartWorkloadRequest(
            name: definition.name, namespace: client.namespace, description: definition.description, workloadType: definition.type,
            workloadLifecycle: definition.lifecycle, runRequest: "", tags: tags)
        do {
            return try await client.deploy(request, prepare: { bid, request in
                var request = request
                request.runRequest = try BidPreparation.prepare(definition, bid: bid, encrypt: encrypt).compactText
                return request
            }, unplaced: { unplaced in
                BidPreparation.unplaced(unplaced, type: definition.type, namespace: client.namespace, tags: tags)
            }).response
        } catch let error as NexError {
            throw WorkloadErrors.deployFailed(error, type: definition.type)
        }
    }
}
