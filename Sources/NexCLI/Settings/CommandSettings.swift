import Foundation
import JSONSchema
import NexNode
import NexProtocol

/// `node up` (credentials-state-native-cli.md §5.3, plus `--state-replicas` and `--data-dir`).
enum NodeUpSettings {
    static let agents = Setting("agents", .agents, default: .array([]))
    static let agentRestartLimit = Setting("agent-restart-limit", .int, default: .integer(3))
    static let disableNativeStart = Setting("disable-native-start", .bool, default: .bool(false))
    static let allowRemoteAgentRegistration = Setting("allow-remote-agent-registration", .bool, default: .bool(false))
    static let showWorkloadLogs = Setting("show-workload-logs", .bool, default: .bool(false))
    static let nexus = Setting("nexus", .string, default: .string(NexConstants.defaultNexus))
    /// Random once per process, as in Go: `nex-node-<0…9999>`.
    static let nodeName = Setting("node-name", .string, default: .string("nex-node-\(Int.random(in: 0...9999))"))
    static let nodeSeed = Setting("node-seed", .string, default: .string(""), environment: "NEX_NODE_SEED", secret: true)
    static let nodeXKeySeed = Setting("node-xkey-seed", .string, default: .string(""), environment: "NEX_NODE_XKEY_SEED", secret: true)
    static let tags = Setting("tags", .stringMap, default: .object([:]))
    static let state = Setting("state", .choice(["", "kv"]), default: .string(""))
    static let stateReplicas = Setting("state-replicas", .int, default: .integer(1))
    static let events = Setting("events", .choice(["", "nats", "logs"]), default: .string(""))
    static let auctionTTL = Setting("auction-ttl", .duration, default: .string("10s"))
    static let inatsConfig = Setting("inats-config", .string, default: .string(""))
    static let dataDir = Setting("data-dir", .string, default: .string(UserDirectories.data.appendingPathComponent("nex").path))
    static let issuerSigningKey = Setting("issuer-signing-key", .string, default: .string(""), environment: "NEX_ISSUER_SIGNING_KEY", secret: true)
    static let issuerSigningKeyRootAccount = Setting("issuer-signing-key-root-account", .string, default: .string(""))
    static let issuerNkey = Setting("issuer-nkey", .string, default: .string(""))
    static let issuerNkeySeed = Setting("issuer-nkey-seed", .string, default: .string(""), environment: "NEX_ISSUER_NKEY_SEED", secret: true)
    // issue 12: limits
    static let maxBidsPerNamespace = Setting("max-bids-per-namespace", .int, default: .integer(Int64(NodeOptions.defaultMaxBidsPerNamespace)))
    static let nodeSeedFile = Setting("node-seed-file", .string, default: .string(""))
    static let nodeXKeySeedFile = Setting("node-xkey-seed-file", .string, default: .string(""))
    static let issuerSigningKeyFile = Setting("issuer-signing-key-file", .string, default: .string(""))
    static let issuerNkeySeedFile = Setting("issuer-nkey-seed-file", .string, default: .string(""))
    // issue 12: sandbox
    static let workloadsAsNodeUser = Setting("workloads-as-node-user", .bool, default: .bool(false))
    static let workloadUIDRange = Setting("workload-uid-range", .string, default: .string("61184-65519"))
    static let maxFunctionConcurrency = Setting("max-function-concurrency", .int, default: .integer(16))
    // issue 12: agent identity
    static let allowLegacyNexlets = Setting("allow-legacy-nexlets", .bool, default: .bool(false))
    static let remoteAgentTrust = Setting("remote-agent-trust", .stringList, default: .array([]))
    // issue 12: object-store permissions and credential lifetime
    /// Object-store buckets `nats://` artifacts may come from (agents get read access to exactly these).
    static let artifactBuckets = Setting("artifact-buckets", .stringList, default: .array([]))
    /// Lifetime of minted agent and workload JWTs (registration JWTs: at most 10 minutes).
    static let credentialLifetime = Setting("credential-lifetime", .duration, default: .string("2160h0m0s"))

    static let all = [
        agents, agentRestartLimit, disableNativeStart, allowRemoteAgentRegistration, showWorkloadLogs, nexus, nodeName,
        nodeSeed, nodeXKeySeed, tags, state, stateReplicas, events, auctionTTL, inatsConfig, dataDir, issuerSigningKey,
        issuerSigningKeyRootAccount, issuerNkey, issuerNkeySeed,
        // issue 12: limits
        maxBidsPerNamespace, nodeSeedFile, nodeXKeySeedFile, issuerSigningKeyFile, issuerNkeySeedFile,
        // issue 12: sandbox
        workloadsAsNodeUser, workloadUIDRange, maxFunctionConcurrency,
        // issue 12: agent identity
        allowLegacyNexlets, remoteAgentTrust,
        // issue 12: object-store permissions and credential lifetime
        artifactBuckets, credentialLifetime,
    ]
}

/// `node list`, `node info`, `node lameduck`.
enum NodeQuerySettings {
    static let filter = Setting("filter", .stringMap, default: .object([:]))
    static let full = Setting("full", .bool, default: .bool(false))
    static let delay = Setting("delay", .duration, default: .string("1m0s"))
    static let tag = Setting("tag", .stringMap, default: .object([:]))
}

/// The workload commands.
enum WorkloadSettings {
    static let tags = Setting("tags", .stringMap, default: .object([:]))
    static let type = Setting("type", .string, default: .string("native"))
    static let name = Setting("name", .string, default: .string(""))
    static let description = Setting("description", .string, default: .string(""))
    static let lifecycle = Setting("lifecycle", .choice(WorkloadLifecycle.allCases.map(\.rawValue)), default: .string("service"))
    static let startRequest = Setting("start-request", .string, default: .string(""))
    static let nexfile = Setting("nexfile", .string, default: .string(""))
    /// Unset by default: then on when the winning bid's schema has an `encrypted_environment` property.
    static let encryptEnv = Setting("encrypt-env", .bool, default: .null)
    static let filter = Setting("filter", .stringList, default: .array([]))
    static let showMetadata = Setting("show-metadata", .bool, default: .bool(false))
    static let stop = Setting("stop", .bool, default: .bool(false))

    static let start = [tags, type, name, description, lifecycle, startRequest, nexfile, encryptEnv]
}

/// `workload logs` and `events`.
enum FeedSettings {
    static let follow = Setting("follow", .bool, default: .bool(false))
    static let quiet = Setting("quiet-period", .duration, default: .string("2s"))
}
