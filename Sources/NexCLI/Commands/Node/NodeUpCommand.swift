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

    @Option(name: .customLong("agent-restart-limit"), help: "How often a failing nexlet is restarted (default 3).")
    var agentRestartLimit: Int?

    @Flag(name: .customLong("disable-native-start"), inversion: .prefixedNo, help: "Do not run the embedded native nexlet.")
    var disableNativeStart: Bool?

    @Flag(name: .customLong("allow-remote-agent-registration"), inversion: .prefixedNo, help: "Let nexlets on other machines register (RREGISTER).")
    var allowRemoteAgentRegistration: Bool?

    @Flag(name: .customLong("show-workload-logs"), inversion: .prefixedNo, help: "Show workload output in the node's log.")
    var showWorkloadLogs: Bool?

    @Option(name: .customLong("nexus"), help: ArgumentHelp("The nexus (cluster of nodes) to join (default nexus).", valueName: "name"))
    var nexus: String?

    @Option(name: .customLong("node-name"), help: ArgumentHelp("The node's name (default nex-node-<random>).", valueName: "name"))
    var nodeName: String?

    @Option(name: .customLong("node-seed"), help: ArgumentHelp("Server seed (SN…) of the node; its public key is the node id (default random).", valueName: "seed"))
    var nodeSeed: String?

    @Option(name: .customLong("node-xkey-seed"), help: ArgumentHelp("Curve seed (SX…) of the node (default random).", valueName: "seed"))
    var nodeXKeySeed: String?

    @Option(name: .customLong("tags"), help: ArgumentHelp("Placement tags k=v;k2=v2 (repeatable; no nex. prefix).", valueName: "tags"))
    var tags: [String] = []

    @Option(name: .customLong("state"), help: ArgumentHelp("Where desired workloads are kept: \"\" (nowhere) or kv.", valueName: "store"))
    var state: String?

    @Option(name: .customLong("state-replicas"), help: ArgumentHelp("Replicas of the kv state bucket (default 1; 3 on a cluster).", valueName: "n"))
    var stateReplicas: Int?

    @Option(name: .customLong("events"), help: ArgumentHelp("Where node events go: \"\" (nowhere), nats or logs.", valueName: "target"))
    var events: String?

    @Option(name: .customLong("auction-ttl"), help: ArgumentHelp("How long a bid stays valid (default 10s).", valueName: "duration"))
    var auctionTTL: String?

    @Option(name: .customLong("inats-config"), help: ArgumentHelp("Start nats-server with this config file and connect to it.", valueName: "file"))
    var inatsConfig: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data of a nats-server started by the node (default <user data dir>/nex).", valueName: "dir"))
    var dataDir: String?

    @Option(name: .customLong("issuer-signing-key"), help: ArgumentHelp("Account signing seed (SA…) to mint scoped user JWTs for nexlets and workloads.", valueName: "seed"))
    var issuerSigningKey: String?

    @Option(name: .customLong("issuer-signing-key-root-account"), help: ArgumentHelp("The root account public key (A…) for the signing key.", valueName: "key"))
    var issuerSigningKeyRootAccount: String?

    @Option(name: .customLong("issuer-nkey"), help: ArgumentHelp("User public nkey (U…) handed to nexlets and workloads.", valueName: "key"))
    var issuerNkey: String?

    @Option(name: .customLong("issuer-nkey-seed"), help: ArgumentHelp("The user seed (SU…) of --issuer-nkey.", valueName: "seed"))
    var issuerNkeySeed: String?

    // issue 12: limits
    @Option(name: .customLong("max-bids-per-namespace"), help: ArgumentHelp("Outstanding bids kept per namespace; beyond it the namespace's oldest are dropped (default 10000).", valueName: "n"))
    var maxBidsPerNamespace: Int?

    @Option(name: .customLong("node-seed-file"), help: ArgumentHelp("Read --node-seed from this file (keeps it off the command line).", valueName: "file"))
    var nodeSeedFile: String?

    @Option(name: .customLong("node-xkey-seed-file"), help: ArgumentHelp("Read --node-xkey-seed from this file.", valueName: "file"))
    var nodeXKeySeedFile: String?

    @Option(name: .customLong("issuer-signing-key-file"), help: ArgumentHelp("Read --issuer-signing-key from this file.", valueName: "file"))
    var issuerSigningKeyFile: String?

    @Option(name: .customLong("issuer-nkey-seed-file"), help: ArgumentHelp("Read --issuer-nkey-seed from this file.", valueName: "file"))
    var issuerNkeySeedFile: String?
    // issue 12: agent identity
    @Flag(name: .customLong("allow-legacy-nexlets"), inversion: .prefixedNo, help: "Accept nexlets that cannot prove their identity at REGISTER (Go nexlets); they get node-wide agent subjects.")
    var allowLegacyNexlets: Bool?

    @Option(name: .customLong("remote-agent-trust"), help: ArgumentHelp("Public nkey whose holder may register a remote nexlet (RREGISTER; repeatable).", valueName: "key"))
    var remoteAgentTrust: [String] = []

    // issue 12: object-store permissions and credential lifetime
    @Option(name: .customLong("artifact-buckets"), help: ArgumentHelp("Object-store buckets nats:// artifacts may come from; nexlets may read only these (repeatable or comma-separated; default none).", valueName: "bucket"))
    var artifactBuckets: [String] = []

    @Option(name: .customLong("credential-lifetime"), help: ArgumentHelp("Lifetime of minted nexlet and workload JWTs, e.g. 720h (default 2160h = 90 days); registration JWTs live at most 10m.", valueName: "duration"))
    var credentialLifetime: String?

    @Option(name: .customLong("resource-directory"), help: .hidden)
    var resourceDirectory: String?

    // issue 12: sandbox
    @Flag(name: .customLong("workloads-as-node-user"), inversion: .prefixedNo, help: "Run native workloads as the node's own user, not each under a uid of its own (turns the sandbox off).")
    var workloadsAsNodeUser: Bool?

    @Option(name: .customLong("workload-uid-range"), help: ArgumentHelp("The uids (and gids) native workloads run under, one per workload (default 61184-65519).", valueName: "first-last"))
    var workloadUIDRange: String?

    @Option(name: .customLong("max-function-concurrency"), help: "Invocations of one function that run at once; more wait their turn (default 16).")
    var maxFunctionConcurrency: Int?

    @OptionGroup
    var globals: GlobalOptions

    var flagValues: FlagValues {
        var flags = FlagValues()
        flags.add(NodeUpSettings.agentRestartLimit, agentRestartLimit)
        flags.add(NodeUpSettings.disableNativeStart, disableNativeStart)
        flags.add(NodeUpSettings.allowRemoteAgentRegistration, allowRemoteAgentRegistration)
        flags.add(NodeUpSettings.showWorkloadLogs, showWorkloadLogs)
        flags.add(NodeUpSettings.nexus, nexus)
        flags.add(NodeUpSettings.nodeName, nodeName)
        flags.add(NodeUpSettings.nodeSeed, nodeSeed)
        flags.add(NodeUpSettings.nodeXKeySeed, nodeXKeySeed)
        flags.add(NodeUpSettings.tags, tags)
        flags.add(NodeUpSettings.state, state)
        flags.add(NodeUpSettings.stateReplicas, stateReplicas)
        flags.add(NodeUpSettings.events, events)
        flags.add(NodeUpSettings.auctionTTL, auctionTTL)
        flags.add(NodeUpSettings.inatsConfig, inatsConfig)
        flags.add(NodeUpSettings.dataDir, dataDir)
        flags.add(NodeUpSettings.issuerSigningKey, issuerSigningKey)
        flags.add(NodeUpSettings.issuerSigningKeyRootAccount, issuerSigningKeyRootAccount)
        flags.add(NodeUpSettings.issuerNkey, issuerNkey)
        flags.add(NodeUpSettings.issuerNkeySeed, issuerNkeySeed)
        // issue 12: limits
        flags.add(NodeUpSettings.maxBidsPerNamespace, maxBidsPerNamespace)
        flags.add(NodeUpSettings.nodeSeedFile, nodeSeedFile)
        flags.add(NodeUpSettings.nodeXKeySeedFile, nodeXKeySeedFile)
        flags.add(NodeUpSettings.issuerSigningKeyFile, issuerSigningKeyFile)
        flags.add(NodeUpSettings.issuerNkeySeedFile, issuerNkeySeedFile)
        // issue 12: sandbox
        flags.add(NodeUpSettings.workloadsAsNodeUser, workloadsAsNodeUser)
        flags.add(NodeUpSettings.workloadUIDRange, workloadUIDRange)
        flags.add(NodeUpSettings.maxFunctionConcurrency, maxFunctionConcurrency)
        // issue 12: agent identity
        flags.add(NodeUpSettings.allowLegacyNexlets, allowLegacyNexlets)
        flags.add(NodeUpSettings.remoteAgentTrust, remoteAgentTrust)
        // issue 12: object-store permissions and credential lifetime
        flags.add(NodeUpSettings.artifactBuckets, artifactBuckets)
        flags.add(NodeUpSettings.credentialLifetime, credentialLifetime)
        return flags
    }

    func run() async throws {
        guard let context = try CommandContext.make(globals: globals, settings: NodeUpSettings.all, flags: flagValues) else { return }
        let configuration = try NodeUpConfiguration(context.settings)
        #if os(Linux)
        let status = try await NodeRunner(configuration: configuration, settings: context.settings).run()
        if status != ExitStatus.success { throw ExitCode(status) }
        #else
        throw CLIError("nex node up runs on Linux only in this build")
        #endif
    }
}
