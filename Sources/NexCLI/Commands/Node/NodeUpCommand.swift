import ArgumentParser
import JSONSchema

/// `nex node up`: runs a node in this process until SIGINT/SIGTERM or a lameduck request.
struct NodeUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run a nex node.",
        discussion: """
            Without --nats.servers (or a NATS context) the node uses the server on nats://127.0.0.1:4222, or \
            starts a local nats-server with JetStream (data in --data-dir) and stops it when the node stops. \
            Local nexlets ("agents") are configured in a config file as [{"uri", "argv", "env"}].
            """
    )

    // Each option is bound to its setting in ``NodeUpSettings`` by name; names, help and defaults come from there.
    @Option(NodeUpSettings.agentRestartLimit) var agentRestartLimit: Int?
    @Flag(NodeUpSettings.disableNativeStart) var disableNativeStart: Bool?
    @Flag(NodeUpSettings.allowRemoteAgentRegistration) var allowRemoteAgentRegistration: Bool?
    @Flag(NodeUpSettings.showWorkloadLogs) var showWorkloadLogs: Bool?
    @Option(NodeUpSettings.nexus) var nexus: String?
    @Option(NodeUpSettings.nodeName) var nodeName: String?
    @Option(NodeUpSettings.nodeSeed) var nodeSeed: String?
    @Option(NodeUpSettings.nodeXKeySeed) var nodeXKeySeed: String?
    @Option(NodeUpSettings.tags) var tags: [String] = []
    @Option(NodeUpSettings.state) var state: String?
    @Option(NodeUpSettings.stateReplicas) var stateReplicas: Int?
    @Option(NodeUpSettings.events) var events: String?
    @Option(NodeUpSettings.auctionTTL) var auctionTTL: String?
    @Option(NodeUpSettings.drainTimeout) var drainTimeout: String?
    @Option(NodeUpSettings.inatsConfig) var inatsConfig: String?
    @Option(NodeUpSettings.dataDir) var dataDir: String?
    @Option(NodeUpSettings.issuerSigningKey) var issuerSigningKey: String?
    @Option(NodeUpSettings.issuerSigningKeyRootAccount) var issuerSigningKeyRootAccount: String?
    @Option(NodeUpSettings.issuerNkey) var issuerNkey: String?
    @Option(NodeUpSettings.issuerNkeySeed) var issuerNkeySeed: String?
    // issue 12: limits
    @Option(NodeUpSettings.maxBidsPerNamespace) var maxBidsPerNamespace: Int?
    @Option(NodeUpSettings.nodeSeedFile) var nodeSeedFile: String?
    @Option(NodeUpSettings.nodeXKeySeedFile) var nodeXKeySeedFile: String?
    @Option(NodeUpSettings.issuerSigningKeyFile) var issuerSigningKeyFile: String?
    @Option(NodeUpSettings.issuerNkeySeedFile) var issuerNkeySeedFile: String?
    // issue 12: agent identity
    @Flag(NodeUpSettings.allowLegacyNexlets) var allowLegacyNexlets: Bool?
    @Option(NodeUpSettings.remoteAgentTrust) var remoteAgentTrust: [String] = []
    // issue 12: object-store permissions and credential lifetime
    @Option(NodeUpSettings.artifactBuckets) var artifactBuckets: [String] = []
    @Option(NodeUpSettings.credentialLifetime) var credentialLifetime: String?
    // issue 12: sandbox
    @Flag(NodeUpSettings.workloadsAsNodeUser) var workloadsAsNodeUser: Bool?
    @Option(NodeUpSettings.workloadUIDRange) var workloadUIDRange: String?
    @Option(NodeUpSettings.maxFunctionConcurrency) var maxFunctionConcurrency: Int?
    // issue 14: node capacity and quotas
    @Option(NodeUpSettings.maxWorkloads) var maxWorkloads: Int?
    @Option(NodeUpSettings.reserveMemory) var reserveMemory: String?
    @Option(NodeUpSettings.quotaLeaseTTL) var quotaLeaseTTL: String?
    // issue 14: health and metrics
    @Option(NodeUpSettings.httpAddr) var httpAddr: String?
    // issue 14: log history
    @Option(NodeUpSettings.historyStorage) var historyStorage: String?
    @Option(NodeUpSettings.historyReplicas) var historyReplicas: Int?
    @Option(NodeUpSettings.logHistoryMaxAge) var logHistoryMaxAge: String?
    @Option(NodeUpSettings.logHistoryLines) var logHistoryLines: Int?
    @Option(NodeUpSettings.logHistoryMaxBytes) var logHistoryMaxBytes: String?
    @Option(NodeUpSettings.eventHistoryMaxAge) var eventHistoryMaxAge: String?
    @Option(NodeUpSettings.eventHistoryMaxBytes) var eventHistoryMaxBytes: String?

    /// Accepted for old command lines; binds no setting.
    @Option(name: .customLong("resource-directory"), help: .hidden)
    var resourceDirectory: String?

    @OptionGroup
    var globals: GlobalOptions

    func run() async throws {
        let flags = try FlagValues(of: self, settings: NodeUpSettings.all, unbound: ["resourceDirectory"])
        guard let context = try CommandContext.make(globals: globals, settings: NodeUpSettings.all, flags: flags) else { return }
        let configuration = try NodeUpConfiguration(context.settings)
        #if os(Linux)
        let status = try await NodeRunner(configuration: configuration, settings: context.settings).run()
        if status != ExitStatus.success { throw ExitCode(status) }
        #else
        throw CLIError("nex node up runs on Linux only in this build")
        #endif
    }
}
