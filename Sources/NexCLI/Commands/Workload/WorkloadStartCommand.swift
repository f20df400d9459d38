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

    @Option(name: .customLong("tags"), help: ArgumentHelp("Placement tags the node must have, k=v;k2=v2 (repeatable).", valueName: "tags"))
    var tags: [String] = []

    @Option(name: .customLong("type"), help: ArgumentHelp("The nexlet type to run it (default native).", valueName: "type"))
    var type: String?

    @Option(name: .customLong("name"), help: ArgumentHelp("The workload's name.", valueName: "name"))
    var name: String?

    @Option(name: .customLong("description"), help: ArgumentHelp("A description.", valueName: "text"))
    var description: String?

    @Option(name: .customLong("lifecycle"), help: ArgumentHelp("service, job or function (default service).", valueName: "lifecycle"))
    var lifecycle: String?

    @Option(name: .customLong("start-request"), help: ArgumentHelp("The nexlet's start request as JSON.", valueName: "json"))
    var startRequest: String?

    @Option(name: [.customLong("nexfile"), .customShort("f")], help: ArgumentHelp("A Nexfile (YAML or JSON); - reads stdin.", valueName: "file"))
    var nexfile: String?

    @Flag(name: .customLong("encrypt-env"), inversion: .prefixedNo,
          help: "Seal the environment to the nexlet's xkey (default: when its schema has encrypted_environment).")
    var encryptEnv: Bool?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        var flags = FlagValues()
        flags.add(WorkloadSettings.tags, tags)
        flags.add(WorkloadSettings.type, type)
        flags.add(WorkloadSettings.name, name)
        flags.add(WorkloadSettings.description, description)
        flags.add(WorkloadSettings.lifecycle, lifecycle)
        flags.add(WorkloadSettings.startRequest, startRequest)
        flags.add(WorkloadSettings.nexfile, nexfile)
        flags.add(WorkloadSettings.encryptEnv, encryptEnv)
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
        let auction = try await client.auction(agentType: definition.type, tags: tags)
        guard !auction.bids.isEmpty else { throw WorkloadErrors.noBids(auction, type: definition.type, namespace: client.namespace, tags: tags) }
        let bid = try BidPreparation.choose(from: auction.bids, lifecycle: definition.lifecycle, type: definition.type)
        let runRequest = try BidPreparation.prepare(definition, bid: bid, encrypt: encrypt)
        let request = StartWorkloadRequest(
            name: definition.name, namespace: client.namespace, description: definition.description, workloadType: definition.type,
            workloadLifecycle: definition.lifecycle, runRequest: runRequest.compactText, tags: tags ?? [:])
        do {
            return try await client.startWorkload(request, bid: bid)
        } catch let error as NexError {
            throw WorkloadErrors.deployFailed(error, type: definition.type)
        }
    }
}
