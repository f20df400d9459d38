import Foundation
import Logging
import ProcessKit

/// How a ``NativeNexlet`` runs workloads. The defaults follow decisions.md §5.
public struct NativeNexletOptions: Sendable {
    /// The agent name (micro service name): `[A-Za-z0-9_-]+`.
    public var name: String
    /// The register type (`workload_type` of start requests).
    public var registerType: String
    /// Semantic version.
    public var version: String
    /// 0 = unlimited.
    public var maxWorkloads: Int
    /// The curve key clients seal `encrypted_environment` to; nil generates one per instance. Pass a stored
    /// seed to keep the key across restarts.
    public var xkeySeed: String?
    /// Where the pid and start time of every running workload process are recorded, so that workloads
    /// orphaned by a crash are found and stopped before the node replays its state (e.g. `<data dir>/native`).
    /// nil records nothing (nothing survives a crash to be found).
    public var stateDirectory: URL?
    /// Where `nats://` artifacts (and `file://` ones with a `digest`) are kept, by digest. nil uses
    /// `<stateDirectory>/artifacts`, or without a state directory a fresh private directory under the system
    /// temporary directory (never a shared, predictable one: whoever can write the cache chooses what runs).
    public var cacheDirectory: URL?
    /// SIGTERM → SIGKILL grace of a stop.
    public var stopGrace: Duration
    /// How long an orphan from a previous run gets after SIGTERM before SIGKILL, and after SIGKILL to go.
    public var orphanGrace: Duration
    /// Restarts of services: backoff and limit (250 ms doubling up to 30 s, 3 restarts).
    public var restartPolicy: RestartPolicy
    /// Limits of one function invocation (timeout, stdout size).
    public var functionLimits: FunctionLimits
    /// `PATH` of every workload (the user's `environment` may override it).
    public var path: String
    /// Largest artifact accepted from an object store.
    public var maximumArtifactSize: UInt64
    /// Timeout of each JetStream request and of each chunk while fetching an artifact.
    public var artifactTimeout: Duration
    /// Stop every workload when the runner detaches (node shutdown); the node replays them when it comes
    /// back. With false they keep running and are replayed by this instance when it registers again, or
    /// stopped as orphans by the next instance.
    public var stopWorkloadsOnDetach: Bool
    /// Also write every workload output line to the log (info for stdout, error for stderr, with
    /// `group: workload`), besides publishing it on the log feed.
    public var logWorkloadOutput: Bool
    /// Where the nexlet logs before it is attached to a runner (after that, the runner's logger is used).
    public var logger: Logger
    // issue 12: sandbox
    /// Run workloads as the nexlet's own user instead of each under a uid of its own (node flag
    /// `--workloads-as-node-user`). Sandboxing needs root; without root workloads always run as the nexlet's user.
    public var workloadsAsNodeUser: Bool
    /// The uids (and gids) workloads run under when sandboxed, one per workload (node flag `--workload-uid-range`).
    public var workloadUIDRange: ClosedRange<UInt32>
    /// Invocations of one function running at once (node flag `--max-function-concurrency`); more wait for a slot.
    public var maxFunctionConcurrency: Int
    // issue 12: object-store permissions
    /// The object-store buckets `nats://` artifacts may come from (the node's `--artifact-buckets`, which its
    /// credentials enforce in signing-key mode); a start request naming another bucket fails before anything
    /// is read. nil = any bucket.
    public var allowedArtifactBuckets: [String]? = nil
    // issue 14: limits
    /// Enforce a start request's `limits` with cgroups (needs root and a cgroup hierarchy). Off, or where cgroups
    /// cannot be used, a request with limits is refused; workloads without limits run as before.
    public var useCgroups = true
    /// How often each workload's CPU and memory are published on `$NEX.FEED.<ns>.metrics.<id>`; nil publishes
    /// nothing (`nex workload info` and `list` still show them).
    public var metricsInterval: Duration? = .seconds(10)

    public init(
        name: String = "nexlet-native",
        registerType: String = "native",
        version: String = "0.1.0",
        maxWorkloads: Int = 0,
        xkeySeed: String? = nil,
        stateDirectory: URL? = nil,
        cacheDirectory: URL? = nil,
        stopGrace: Duration = .seconds(5),
        orphanGrace: Duration = .seconds(5),
        restartPolicy: RestartPolicy = .standard,
        functionLimits: FunctionLimits = FunctionLimits(),
        path: String = "/usr/local/bin:/usr/bin:/bin",
        maximumArtifactSize: UInt64 = 1 << 30,
        artifactTimeout: Duration = .seconds(10),
        stopWorkloadsOnDetach: Bool = true,
        logWorkloadOutput: Bool = false,
        logger: Logger = Logger(label: "nexlet.native"),
        workloadsAsNodeUser: Bool = false,
        workloadUIDRange: ClosedRange<UInt32> = NativeNexletOptions.defaultWorkloadUIDRange,
        maxFunctionConcurrency: Int = NativeNexletOptions.defaultMaxFunctionConcurrency
    ) {
        self.name = name
        self.registerType = registerType
        self.version = version
        self.maxWorkloads = maxWorkloads
        self.xkeySeed = xkeySeed
        self.stateDirectory = stateDirectory
        self.cacheDirectory = cacheDirectory
        self.stopGrace = stopGrace
        self.orphanGrace = orphanGrace
        self.restartPolicy = restartPolicy
        self.functionLimits = functionLimits
        self.path = path
        self.maximumArtifactSize = maximumArtifactSize
        self.artifactTimeout = artifactTimeout
        self.stopWorkloadsOnDetach = stopWorkloadsOnDetach
        self.logWorkloadOutput = logWorkloadOutput
        self.logger = logger
        self.workloadsAsNodeUser = workloadsAsNodeUser
        self.workloadUIDRange = workloadUIDRange
        self.maxFunctionConcurrency = maxFunctionConcurrency
    }

    // issue 12: sandbox
    /// systemd's DynamicUser range: no distribution assigns these to regular or system users.
    public static let defaultWorkloadUIDRange: ClosedRange<UInt32> = 61184...65519
    public static let defaultMaxFunctionConcurrency = 16

    /// Whether workloads get a sandbox of their own: unless turned off, whenever the nexlet runs as root.
    public var sandboxesWorkloads: Bool { !workloadsAsNodeUser && ProcessSandbox.isAvailable }

    /// Problems with the sandbox and concurrency settings (empty when they are fine).
    public var sandboxProblems: [String] {
        var problems: [String] = []
        if workloadUIDRange.lowerBound == 0 { problems.append("the workload uid range may not include 0 (root)") }
        if workloadUIDRange.upperBound >= UInt32(Int32.max) {
            problems.append("the workload uid range must end below \(Int32.max)")
        }
        if maxFunctionConcurrency < 1 { problems.append("the maximum function concurrency must be at least 1") }
        return problems
    }

    /// The artifact cache directory in effect.
    var effectiveCacheDirectory: URL {
        if let cacheDirectory { return cacheDirectory }
        if let stateDirectory { return stateDirectory.appendingPathComponent("artifacts", isDirectory: true) }
        return FileManager.default.temporaryDirectory
            .appendingPathComponent("nex-native-\(UUID().uuidString)", isDirectory: true)
    }
}
