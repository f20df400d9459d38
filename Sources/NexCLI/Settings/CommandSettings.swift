import Foundation
import JSONSchema
import NexNode
import NexNodeHTTP
import NexProtocol

/// `node up` (credentials-state-native-cli.md §5.3, plus `--state-replicas` and `--data-dir`).
enum NodeUpSettings {
    static let agents = Setting("agents", .agents, default: .array([]))
    static let agentRestartLimit = Setting("agent-restart-limit", .int, default: .integer(3), help: "How often a failing nexlet is restarted.", value: "n", rule: .atLeast(0))
    static let disableNativeStart = Setting("disable-native-start", .bool, default: .bool(false), help: "Do not run the embedded native nexlet.")
    static let allowRemoteAgentRegistration = Setting("allow-remote-agent-registration", .bool, default: .bool(false), help: "Let nexlets on other machines register (RREGISTER).")
    static let showWorkloadLogs = Setting("show-workload-logs", .bool, default: .bool(false), help: "Show workload output in the node's log.")
    static let nexus = Setting("nexus", .string, default: .string(NexConstants.defaultNexus), help: "The nexus (cluster of nodes) to join.", value: "name")
    /// Random once per process, as in Go: `nex-node-<0…9999>`.
    static let nodeName = Setting(
        "node-name", .string, default: .string("nex-node-\(Int.random(in: 0...9999))"), help: "The node's name.", value: "name",
        defaultHelp: "nex-node-<random>")
    static let nodeSeed = Setting(
        "node-seed", .string, default: .string(""), help: "Server seed (SN…) of the node; its public key is the node id.", value: "seed",
        defaultHelp: "random", secret: true)
    static let nodeXKeySeed = Setting(
        "node-xkey-seed", .string, default: .string(""), help: "Curve seed (SX…) of the node.", value: "seed", defaultHelp: "random", secret: true)
    static let tags = Setting("tags", .stringMap, default: .object([:]), help: "Placement tags k=v;k2=v2 (repeatable; no nex. prefix).", value: "tags")
    static let state = Setting("state", .choice(["", "kv"]), default: .string(""), help: "Where desired workloads are kept: \"\" (nowhere) or kv.", value: "store")
    static let stateReplicas = Setting(
        "state-replicas", .int, default: .integer(1), help: "Replicas of the kv state bucket (3 on a cluster).", value: "n", rule: .between(1, 5))
    static let events = Setting("events", .choice(["", "nats", "logs"]), default: .string(""), help: "Where node events go: \"\" (nowhere), nats or logs.", value: "target")
    static let auctionTTL = Setting("auction-ttl", .duration, default: .string("10s"), help: "How long a bid stays valid.", value: "duration", rule: .positive)
    static let drainTimeout = Setting(
        "drain-timeout", .duration, default: .string("10s"),
        help: "At shutdown, how long requests in flight may take to finish before they are cancelled.", value: "duration", rule: .positive)
    static let inatsConfig = Setting("inats-config", .string, default: .string(""), help: "Start nats-server with this config file and connect to it.", value: "file")
    static let dataDir = Setting(
        "data-dir", .string, default: .string(UserDirectories.data.appendingPathComponent("nex").path),
        help: "Data of a nats-server started by the node.", value: "dir", defaultHelp: "<user data dir>/nex")
    static let issuerSigningKey = Setting(
        "issuer-signing-key", .string, default: .string(""), help: "Account signing seed (SA…) to mint scoped user JWTs for nexlets and workloads.",
        value: "seed", secret: true)
    static let issuerSigningKeyRootAccount = Setting(
        "issuer-signing-key-root-account", .string, default: .string(""), help: "The root account public key (A…) for the signing key.", value: "key")
    static let issuerNkey = Setting("issuer-nkey", .string, default: .string(""), help: "User public nkey (U…) handed to nexlets and workloads.", value: "key")
    static let issuerNkeySeed = Setting("issuer-nkey-seed", .string, default: .string(""), help: "The user seed (SU…) of --issuer-nkey.", value: "seed", secret: true)
    // issue 12: limits
    static let maxBidsPerNamespace = Setting(
        "max-bids-per-namespace", .int, default: .integer(Int64(NodeOptions.defaultMaxBidsPerNamespace)),
        help: "Outstanding bids kept per namespace; beyond it the namespace's oldest are dropped.", value: "n", rule: .atLeast(1))
    static let nodeSeedFile = Setting("node-seed-file", .string, default: .string(""), help: "Read --node-seed from this file (keeps it off the command line).", value: "file")
    static let nodeXKeySeedFile = Setting("node-xkey-seed-file", .string, default: .string(""), help: "Read --node-xkey-seed from this file.", value: "file")
    static let issuerSigningKeyFile = Setting("issuer-signing-key-file", .string, default: .string(""), help: "Read --issuer-signing-key from this file.", value: "file")
    static let issuerNkeySeedFile = Setting("issuer-nkey-seed-file", .string, default: .string(""), help: "Read --issuer-nkey-seed from this file.", value: "file")
    // issue 12: sandbox
    static let workloadsAsNodeUser = Setting(
        "workloads-as-node-user", .bool, default: .bool(false),
        help: "Run native workloads as the node's own user, not each under a uid of its own (turns the sandbox off).")
    static let workloadUIDRange = Setting(
        "workload-uid-range", .string, default: .string("61184-65519"), help: "The uids (and gids) native workloads run under, one per workload.",
        value: "first-last")
    static let maxFunctionConcurrency = Setting(
        "max-function-concurrency", .int, default: .integer(16), help: "Invocations of one function that run at once; more wait their turn.",
        value: "n")
    // issue 12: agent identity
    static let allowLegacyNexlets = Setting(
        "allow-legacy-nexlets", .bool, default: .bool(false),
        help: "Accept nexlets that cannot prove their identity at REGISTER (Go nexlets); they get node-wide agent subjects.")
    static let remoteAgentTrust = Setting(
        "remote-agent-trust", .stringList, default: .array([]),
        help: "Public nkey whose holder may register a remote nexlet (RREGISTER; repeatable).", value: "key")
    // issue 12: object-store permissions and credential lifetime
    /// Object-store buckets `nats://` artifacts may come from (agents get read access to exactly these).
    static let artifactBuckets = Setting(
        "artifact-buckets", .stringList, default: .array([]),
        help: "Object-store buckets nats:// artifacts may come from; nexlets may read only these (repeatable or comma-separated).",
        value: "bucket", defaultHelp: "none")
    /// Lifetime of minted agent and workload JWTs (registration JWTs: at most 10 minutes).
    static let credentialLifetime = Setting(
        "credential-lifetime", .duration, default: .string("2160h0m0s"),
        help: "Lifetime of minted nexlet and workload JWTs, e.g. 720h; registration JWTs live at most 10m.", value: "duration",
        defaultHelp: "2160h = 90 days", rule: .positive)
    // issue 14: node capacity and quotas
    static let maxWorkloads = Setting(
        "max-workloads", .int, default: .integer(0),
        help: "Most workloads this node runs at once; a full node declines auctions (0: no bound).", value: "n", rule: .atLeast(0))
    static let reserveMemory = Setting(
        "reserve-memory", .size, default: .string("0B"),
        help: "Memory kept free of workloads' memory limits, e.g. 512MiB; the node is full when the limits reach host memory minus this.",
        value: "size")
    static let quotaLeaseTTL = Setting(
        "quota-lease-ttl", .duration, default: .string("30s"),
        help: "How long the quota usage of a node that stops renewing it (a crashed node) keeps counting.", value: "duration", rule: .positive)
    // issue 14: health and metrics
    static let httpAddr = Setting(
        "http-addr", .string, default: .string(NodeHTTPAddress.default.description),
        help: "Serve /healthz, /readyz and Prometheus /metrics on HOST:PORT; \"\" turns it off.", value: "host:port", rule: .listenAddress)
    // issue 14: log history
    static let historyStorage = Setting(
        "history-storage", .choice(["file", "memory", "none"]), default: .string("file"),
        help: "Where the nexus keeps log and event history (JetStream streams NEX_LOGS, NEX_EVENTS): file, memory or none (the node leaves them alone).",
        value: "storage")
    static let historyReplicas = Setting(
        "history-replicas", .int, default: .integer(1), help: "Replicas of the history streams (3 on a cluster).", value: "n", rule: .between(1, 5))
    static let logHistoryMaxAge = Setting(
        "log-history-max-age", .duration, default: .string("72h0m0s"),
        help: "Log lines older than this are dropped from the history (0: no age limit).", value: "duration", defaultHelp: "72h", rule: .notNegative)
    static let logHistoryLines = Setting(
        "log-history-lines", .int, default: .integer(FeedHistoryOptions.defaultLogLinesPerStream),
        help: "Lines kept per workload and output stream (stdout, stderr) and per node log; the oldest go first.", value: "n", rule: .atLeast(1))
    static let logHistoryMaxBytes = Setting(
        "log-history-max-bytes", .size, default: .string("1GiB"),
        help: "Bytes of log history kept in all; the oldest lines go first.", value: "size")
    static let eventHistoryMaxAge = Setting(
        "event-history-max-age", .duration, default: .string("168h0m0s"),
        help: "Events older than this are dropped from the history (0: no age limit).", value: "duration", defaultHelp: "168h = 7 days", rule: .notNegative)
    static let eventHistoryMaxBytes = Setting(
        "event-history-max-bytes", .size, default: .string("64MiB"), help: "Bytes of event history kept in all; the oldest go first.", value: "size")

    static let all = [
        agents, agentRestartLimit, disableNativeStart, allowRemoteAgentRegistration, showWorkloadLogs, nexus, nodeName,
        nodeSeed, nodeXKeySeed, tags, state, stateReplicas, events, auctionTTL, drainTimeout, inatsConfig, dataDir, issuerSigningKey,
        issuerSigningKeyRootAccount, issuerNkey, issuerNkeySeed,
        // issue 12: limits
        maxBidsPerNamespace, nodeSeedFile, nodeXKeySeedFile, issuerSigningKeyFile, issuerNkeySeedFile,
        // issue 12: sandbox
        workloadsAsNodeUser, workloadUIDRange, maxFunctionConcurrency,
        // issue 12: agent identity
        allowLegacyNexlets, remoteAgentTrust,
        // issue 12: object-store permissions and credential lifetime
        artifactBuckets, credentialLifetime,
        // issue 14: node capacity and quotas
        maxWorkloads, reserveMemory, quotaLeaseTTL,
        // issue 14: health and metrics
        httpAddr,
        // issue 14: log history
        historyStorage, historyReplicas, logHistoryMaxAge, logHistoryLines, logHistoryMaxBytes, eventHistoryMaxAge, eventHistoryMaxBytes,
    ]
}

/// `node list`, `node info`, `node lameduck`.
enum NodeQuerySettings {
    static let filter = Setting("filter", .stringMap, default: .object([:]), help: "Only nodes with these tags, k=v;k2=v2 (repeatable).", value: "tags")
    static let full = Setting("full", .bool, default: .bool(false), help: "Show every detail of the nexlets.")
    static let delay = Setting("delay", .duration, default: .string("1m0s"), help: "How long until the node shuts down.", value: "duration", defaultHelp: "1m", rule: .notNegative)
    static let tag = Setting("tag", .stringMap, default: .object([:]), help: "Act only if the node has these tags, k=v;k2=v2 (repeatable).", value: "tags")
}

/// The workload commands.
enum WorkloadSettings {
    static let tags = Setting("tags", .stringMap, default: .object([:]), help: "Placement tags the node must have, k=v;k2=v2 (repeatable).", value: "tags")
    static let type = Setting("type", .string, default: .string("native"), help: "The nexlet type to run it.", value: "type")
    static let name = Setting("name", .string, default: .string(""), help: "The workload's name.", value: "name")
    static let description = Setting("description", .string, default: .string(""), help: "A description.", value: "text")
    static let lifecycle = Setting(
        "lifecycle", .choice(WorkloadLifecycle.allCases.map(\.rawValue)), default: .string("service"), help: "service, job or function.",
        value: "lifecycle")
    static let startRequest = Setting("start-request", .string, default: .string(""), help: "The nexlet's start request as JSON.", value: "json")
    static let nexfile = Setting("nexfile", .string, default: .string(""), help: "A Nexfile (YAML or JSON); - reads stdin.", value: "file", short: "f")
    /// Unset by default: then on when the winning bid's schema has an `encrypted_environment` property.
    static let encryptEnv = Setting(
        "encrypt-env", .bool, default: .null, help: "Seal the environment to the nexlet's xkey.", defaultHelp: "when its schema has encrypted_environment")
    static let filter = Setting("filter", .stringList, default: .array([]), help: "Only these workload ids or names (repeatable or comma-separated).", value: "id")
    static let showMetadata = Setting("show-metadata", .bool, default: .bool(false), help: "Add the metadata and tags columns.")
    static let stop = Setting("stop", .bool, default: .bool(false), help: "Stop the original once the copy runs.")

    // issue 14: limits. Merged into the start request's `limits` object (over a Nexfile's).
    static let memory = Setting(
        "memory", .string, default: .string(""), help: "Memory limit of the workload (start request limits.memory), e.g. 64MiB.",
        value: "size")
    static let cpu = Setting("cpu", .string, default: .string(""), help: "CPU limit in cores (limits.cpu), e.g. 0.5.", value: "cores")
    static let pids = Setting(
        "pids", .int, default: .integer(0), help: "Most processes and threads at once (limits.pids); 0 = no limit.", value: "n",
        rule: .atLeast(0))

    static let start = [tags, type, name, description, lifecycle, startRequest, nexfile, encryptEnv, memory, cpu, pids]
}

/// `workload logs`, `node logs` and `events`: which part of the history to show (issue 14).
enum HistorySettings {
    static let tail = Setting(
        "tail", .int, default: .integer(100), help: "Show at most this many of the last lines (0: none, only new ones with --follow).", value: "n",
        rule: .atLeast(0))
    static let since = Setting(
        "since", .duration, default: .null, help: "Show only what was written in this last stretch of time, e.g. 10m or 2h.", value: "duration",
        rule: .positive)
    /// Events have no history by default (as before); `--tail` or `--since` asks for it.
    static let eventTail = Setting(
        "tail", .int, default: .null, help: "Show the last n events first.", value: "n", defaultHelp: "none; all of them with --since", rule: .atLeast(0))
}

/// `workload logs` and `events`.
enum FeedSettings {
    static let follow = Setting("follow", .bool, default: .bool(false), help: "Keep printing until interrupted.", short: "F")
    static let quiet = Setting(
        "quiet-period", .duration, default: .string("2s"),
        help: "Without --follow: stop after this long without new messages, at most after five times as long.", value: "duration")
}
