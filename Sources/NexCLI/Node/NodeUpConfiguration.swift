import Foundation
import JSONSchema
import Minter
import NATSSubjects
import NexNode
import NexNodeHTTP
import NexProtocol
import Nexlet

/// `node up`'s settings, checked: seeds of the right types, consistent issuer pairs, tags without the
/// reserved prefix, existing files. All problems are reported together in one line.
struct NodeUpConfiguration: Sendable {
    var name: String
    var nexus: String
    /// Always set: the given seed, or one generated here so the node id is known before the node starts.
    var nodeSeed: String
    var nodeID: String
    var xkeySeed: String?
    var tags: NodeTags
    var agents: [LocalAgentSpec]
    var agentRestartLimit: Int
    var disableNativeStart: Bool
    var allowRemoteAgentRegistration: Bool
    var showWorkloadLogs: Bool
    var useKVState: Bool
    var stateReplicas: Int
    var events: String
    var auctionTTL: GoDuration
    var drainTimeout: GoDuration
    var inatsConfig: String?
    var dataDirectory: URL
    var issuers: MinterSelection
    // issue 12: limits
    var maxBidsPerNamespace: Int
    // issue 12: sandbox
    var workloadsAsNodeUser: Bool
    var workloadUIDRange: ClosedRange<UInt32>
    var maxFunctionConcurrency: Int
    // issue 12: agent identity
    var allowLegacyNexlets: Bool
    var remoteAgentTrust: [String]
    // issue 12: object-store permissions and credential lifetime
    /// `--artifact-buckets`: the buckets `nats://` artifacts may come from.
    var artifactBuckets: [String]
    /// `--credential-lifetime`: the lifetime of minted agent and workload JWTs.
    var credentialLifetime: GoDuration
    // issue 14: node capacity and quotas
    var maxWorkloads: Int
    var reserveMemory: ByteSize
    var quotaLeaseTTL: GoDuration
    // issue 14: health and metrics
    /// `--http-addr`: where /healthz, /readyz and /metrics are served; nil when turned off (`""`).
    var httpAddress: NodeHTTPAddress?
    // issue 14: log history
    /// The history streams' limits; nil with `--history-storage none`.
    var feedHistory: FeedHistoryOptions?

    init(_ settings: ResolvedSettings) throws(CLIError) {
        var problems: [String] = []
        name = settings.string(NodeUpSettings.nodeName)
        nexus = settings.string(NodeUpSettings.nexus)
        if !SubjectToken.isValid(nexus) { problems.append("\(settings.named(NodeUpSettings.nexus)) \"\(nexus)\" must be a single NATS subject token") }
        if name.isEmpty { problems.append("\(settings.named(NodeUpSettings.nodeName)) must not be empty") }

        let seedText = settings.secret(NodeUpSettings.nodeSeed, file: NodeUpSettings.nodeSeedFile, problems: &problems)
        var seed = ""
        var id = ""
        do {
            let keys = seedText.isEmpty ? try KeyPair.generate(.server) : try KeyPair(seed: seedText, expecting: .server, role: settings.secretRole(NodeUpSettings.nodeSeed, file: NodeUpSettings.nodeSeedFile))
            seed = keys.seed ?? ""
            id = keys.publicKey
        } catch {
            problems.append("\(error)")
        }
        nodeSeed = seed
        nodeID = id
        let xkeySeedText = settings.secret(NodeUpSettings.nodeXKeySeed, file: NodeUpSettings.nodeXKeySeedFile, problems: &problems)
        xkeySeed = xkeySeedText.isEmpty ? nil : xkeySeedText
        if let xkeySeed {
            do {
                _ = try XKeyPair(seed: xkeySeed, role: settings.secretRole(NodeUpSettings.nodeXKeySeed, file: NodeUpSettings.nodeXKeySeedFile))
            } catch {
                problems.append("\(error)")
            }
        }

        tags = settings.map(NodeUpSettings.tags)
        do { try NexTag.validateUserTags(tags) } catch { problems.append("\(settings.named(NodeUpSettings.tags)): \(error)") }

        // Ranges (restart limit, replicas, bid cap, positive durations) are the settings' rules, checked where
        // each value was read so the error names its flag, config key or environment variable.
        agentRestartLimit = settings.int(NodeUpSettings.agentRestartLimit)
        auctionTTL = settings.duration(NodeUpSettings.auctionTTL)
        drainTimeout = settings.duration(NodeUpSettings.drainTimeout)
        stateReplicas = settings.int(NodeUpSettings.stateReplicas)
        maxBidsPerNamespace = settings.int(NodeUpSettings.maxBidsPerNamespace)

        disableNativeStart = settings.bool(NodeUpSettings.disableNativeStart)
        allowRemoteAgentRegistration = settings.bool(NodeUpSettings.allowRemoteAgentRegistration)
        showWorkloadLogs = settings.bool(NodeUpSettings.showWorkloadLogs)
        useKVState = settings.string(NodeUpSettings.state) == "kv"
        events = settings.string(NodeUpSettings.events)
        dataDirectory = URL(fileURLWithPath: settings.string(NodeUpSettings.dataDir)).standardizedFileURL

        inatsConfig = settings.nonEmpty(NodeUpSettings.inatsConfig)
        if let inatsConfig, !FileManager.default.isReadableFile(atPath: inatsConfig) {
            problems.append("\(settings.named(NodeUpSettings.inatsConfig)): cannot read \(inatsConfig)")
        }

        issuers = MinterSelection(
            signingKey: settings.secret(NodeUpSettings.issuerSigningKey, file: NodeUpSettings.issuerSigningKeyFile, problems: &problems),
            rootAccount: settings.string(NodeUpSettings.issuerSigningKeyRootAccount),
            nkey: settings.string(NodeUpSettings.issuerNkey),
            nkeySeed: settings.secret(NodeUpSettings.issuerNkeySeed, file: NodeUpSettings.issuerNkeySeedFile, problems: &problems))
        problems += issuers.problems

        // issue 12: agent identity
        allowLegacyNexlets = settings.bool(NodeUpSettings.allowLegacyNexlets)
        remoteAgentTrust = settings.list(NodeUpSettings.remoteAgentTrust)
        for key in remoteAgentTrust {
            let signer = try? KeyPair(publicKey: key)
            if signer == nil || signer?.type == .curve {
                problems.append("\(settings.named(NodeUpSettings.remoteAgentTrust)) \"\(key)\" is not a public signing nkey (U…)")
            }
        }
        artifactBuckets = settings.list(NodeUpSettings.artifactBuckets)
        for bucket in artifactBuckets {
            do { _ = try PermissionSets.objectStoreRead(bucket: bucket) } catch { problems.append("\(settings.named(NodeUpSettings.artifactBuckets)): \(error)") }
        }
        credentialLifetime = settings.duration(NodeUpSettings.credentialLifetime)
        // issue 14: node capacity and quotas
        maxWorkloads = settings.int(NodeUpSettings.maxWorkloads)
        quotaLeaseTTL = settings.duration(NodeUpSettings.quotaLeaseTTL)
        reserveMemory = settings.size(NodeUpSettings.reserveMemory)
        // issue 14: health and metrics (the text's form is the setting's rule, checked where it was read).
        httpAddress = settings.nonEmpty(NodeUpSettings.httpAddr).flatMap { try? NodeHTTPAddress(parsing: $0) }

        agents = []
        if case .array(let items) = settings.value(NodeUpSettings.agents) {
            for (index, item) in items.enumerated() {
                guard let agent = Self.agent(item) else { continue }
                if let problem = Self.check(agent, index: index) { problems.append("\(settings.source(NodeUpSettings.agents).label): \(problem)") }
                agents.append(agent)
            }
        }

        // issue 12: sandbox
        workloadsAsNodeUser = settings.bool(NodeUpSettings.workloadsAsNodeUser)
        let rangeText = settings.string(NodeUpSettings.workloadUIDRange)
        workloadUIDRange = Self.uidRange(rangeText) ?? NativeNexletOptions.defaultWorkloadUIDRange
        if Self.uidRange(rangeText) == nil {
            problems.append("\(settings.named(NodeUpSettings.workloadUIDRange)) \"\(rangeText)\" must be <first>-<last> (decimal uids, first <= last)")
        }
        maxFunctionConcurrency = settings.int(NodeUpSettings.maxFunctionConcurrency)
        var native = NativeNexletOptions()
        native.workloadUIDRange = workloadUIDRange
        native.maxFunctionConcurrency = maxFunctionConcurrency
        problems += native.sandboxProblems.map { "--workload-uid-range / --max-function-concurrency: \($0)" }

        // issue 14: log history
        feedHistory = Self.feedHistory(settings)

        if !problems.isEmpty {
            throw CLIError("invalid node configuration: " + problems.joined(separator: "; "), exitCode: ExitStatus.usage)
        }
    }

    /// The `--history-*`, `--log-history-*` and `--event-history-*` settings (their rules bound each value).
    static func feedHistory(_ settings: ResolvedSettings) -> FeedHistoryOptions? {
        let storage = settings.string(NodeUpSettings.historyStorage)
        if storage == "none" { return nil }
        var history = FeedHistoryOptions()
        history.storage = storage == "memory" ? .memory : .file
        history.replicas = settings.int(NodeUpSettings.historyReplicas)
        history.logMaxAge = settings.duration(NodeUpSettings.logHistoryMaxAge).duration
        history.logLinesPerStream = Int64(settings.int(NodeUpSettings.logHistoryLines))
        history.logMaxBytes = settings.size(NodeUpSettings.logHistoryMaxBytes).bytes
        history.eventMaxAge = settings.duration(NodeUpSettings.eventHistoryMaxAge).duration
        history.eventMaxBytes = settings.size(NodeUpSettings.eventHistoryMaxBytes).bytes
        return history
    }

    /// `<first>-<last>` (decimal uids, first <= last; the nexlet checks the bounds, see `sandboxProblems`).
    static func uidRange(_ text: String) -> ClosedRange<UInt32>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = UInt32(parts[0]), let last = UInt32(parts[1]), first <= last else { return nil }
        return first...last
    }

    /// The buckets the embedded native nexlet accepts `nats://` artifacts from: with signing-key credentials
    /// exactly `--artifact-buckets` (what its credential may read, so a refusal is clear and early); in the
    /// other modes, whose credentials are not scoped, the list when one is given, else any bucket.
    var allowedArtifactBuckets: [String]? {
        issuers.strategy == .signingKey || !artifactBuckets.isEmpty ? artifactBuckets : nil
    }

    private static func agent(_ value: JSONValue) -> LocalAgentSpec? {
        guard case .object(let members) = value, case .string(let uri)? = members["uri"] else { return nil }
        var argv: [String] = []
        if case .array(let items)? = members["argv"] {
            argv = items.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
        }
        var env: [String: String] = [:]
        if case .object(let variables)? = members["env"] {
            env = variables.compactMapValues { if case .string(let text) = $0 { return text } else { return nil } }
        }
        return LocalAgentSpec(uri: uri, argv: argv, env: env)
    }

    /// A local nexlet must be an existing executable file (`file://` or a plain path; nothing is downloaded).
    private static func check(_ agent: LocalAgentSpec, index: Int) -> String? {
        if agent.uri.contains("://") && !agent.uri.hasPrefix("file://") {
            return "agents[\(index)].uri \(agent.uri): only file:// or plain paths are supported"
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: agent.path, isDirectory: &isDirectory) else {
            return "agents[\(index)].uri: \(agent.path) does not exist"
        }
        if isDirectory.boolValue { return "agents[\(index)].uri: \(agent.path) is a directory" }
        if !FileManager.default.isExecutableFile(atPath: agent.path) { return "agents[\(index)].uri: \(agent.path) is not executable" }
        return nil
    }
}
