import Foundation
import Logging
import Nexlet
import NexNode
import NexProtocol

/// The nexlets `node up` runs inside the node process unless `--disable-native-start` is given.
enum EmbeddedNexlets {
    /// The native nexlet for node `nodeID` of `nexus`. Its state (running processes for orphan recovery, its
    /// xkey seed, the artifact cache) lives in `<data dir>/native/<node id>`, so several nodes on one host
    /// never touch each other's processes.
    /// `allowedArtifactBuckets`: the buckets `nats://` artifacts may come from (nil = any).
    static func native(
        nexus: String, nodeID: String, dataDirectory: URL, showWorkloadLogs: Bool, logger: Logger, sandbox: Sandbox = Sandbox(),
        allowedArtifactBuckets: [String]? = nil
    ) throws -> [any EmbeddedAgentRunner] {
        let state = dataDirectory.appendingPathComponent("native").appendingPathComponent(nodeID)
        var options = NativeNexletOptions(
            stateDirectory: state, logWorkloadOutput: showWorkloadLogs, logger: logger,
            workloadsAsNodeUser: sandbox.workloadsAsNodeUser, workloadUIDRange: sandbox.uidRange,
            maxFunctionConcurrency: sandbox.maxFunctionConcurrency)
        options.allowedArtifactBuckets = allowedArtifactBuckets
        let nexlet = try NativeNexlet(options: options)
        return [NexletRunner(runtime: nexlet, options: NexletRunnerOptions(nexus: nexus, logger: logger))]
    }

    // issue 12: sandbox
    /// `--workloads-as-node-user`, `--workload-uid-range`, `--max-function-concurrency`.
    struct Sandbox {
        var workloadsAsNodeUser = false
        var uidRange = NativeNexletOptions.defaultWorkloadUIDRange
        var maxFunctionConcurrency = NativeNexletOptions.defaultMaxFunctionConcurrency
    }
}
