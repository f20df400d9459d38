import Foundation
import Logging
import NATSKit
import NexProtocol
import OffPool
import ProcessKit
import Synchronization

/// The native nexlet (register type `native`): runs workloads as processes on this host.
///
/// * Artifacts: `file://<path>` (run in place) and `nats://<bucket>/<name>[:<tag>]` (object `<name>_<tag>` of a
///   JetStream object store, read over the agent's connection and cached by digest); an optional `digest`
///   (`sha256:<hex>`) is verified.
/// * When the nexlet runs as root (and ``NativeNexletOptions/workloadsAsNodeUser`` is off), each workload runs
///   under a uid (and gid) of its own from ``NativeNexletOptions/workloadUIDRange``, without supplementary groups,
///   with `no_new_privs`, in a fresh 0700 home directory of its own (`HOME`, and the working directory unless the
///   request names a `workdir`); artifacts with a digest are verified at every spawn (see ``WorkloadSandboxing``).
/// * Each process leads its own process group, starts with default signal dispositions and gets only `PATH`,
///   the user's variables (plain `environment`, then the decrypted `encrypted_environment`) and the
///   `NEX_WORKLOAD_*` variables (see ``WorkloadEnvironment``). argv[0] is the artifact.
/// * Services restart with backoff up to the restart limit, then are removed with `WORKLOADSTOPPED` carrying
///   the last exit code; jobs run once and report a non-zero exit code the same way; functions run one
///   process per message on their trigger subject (`<namespace>.<workloadId>` unless `trigger_subject` says
///   otherwise), the message on stdin, stdout as the reply.
/// * Stop: SIGTERM to the group, the grace period, SIGKILL; it returns once the process is gone.
/// * Output goes line by line to `$NEX.FEED.<ns>.logs.<id>.stdout|stderr`.
/// * A start request's `limits` (memory, cpu, pids) are enforced with a cgroup per workload that the process
///   joins before it execs (see ``CgroupHost``); where that is impossible the start is refused. Memory kills are
///   reported as "out of memory"; CPU and memory of every workload are in its metadata and, every
///   ``NativeNexletOptions/metricsInterval``, on `$NEX.FEED.<ns>.metrics.<id>`.
/// * With a state directory, every process is recorded (pid, start time), and processes a crashed previous
///   run left behind are stopped when the nexlet attaches to its runner, before the node's replay.
///
/// Run it with `NexletRunner(runtime: try NativeNexlet(options: …))`.
public final class NativeNexlet: NexletFunctionRuntime, NexletWorkloadDiscovery, NexletSealedPayloadRecipient, Sendable {
    public let registration: NexletRegistration
    public let options: NativeNexletOptions
    let xkey: NexletXKey
    let processRecords: ProcessRecordFile?
    let artifacts: ArtifactResolver
    let state = Mutex(NativeState())
    // issue 12: sandbox
    /// Uids and home directories of workloads; nil when they run as the nexlet's user.
    let sandboxing: WorkloadSandboxing?
    // issue 14: limits
    /// The host's cgroup hierarchy, or why limits cannot be enforced here.
    let cgroupHost: Result<CgroupHost, CgroupError>
    /// Names this nexlet's cgroup parent (`nex.<tag>`): from the state directory, so a restarted nexlet finds
    /// (and removes) what its predecessor left.
    let cgroupOwnerTag: String

    struct NativeState {
        var workloads: [String: WorkloadEntry] = [:]
        var host: NexletHost?
        var lameduck = false
        /// Test hook: a "crashed" instance leaves its processes alone and reports nothing.
        var crashed = false
        /// Publishes the metrics feed while attached.
        var metricsTask: Task<Void, Never>?
    }

    /// Checks the options and prepares the xkey; nothing is started.
    public init(options: NativeNexletOptions = NativeNexletOptions()) throws {
        self.options = options
        xkey = try Self.xkey(options)
        registration = NexletRegistration(
            name: options.name, registerType: options.registerType, version: options.version,
            description: "Runs workloads as subprocesses on the host machine", maxWorkloads: options.maxWorkloads,
            publicXkey: xkey.publicKey, supportedLifecycles: [.service, .job, .function],
            startRequestSchema: NativeStartRequestSchema.text)
        try registration.validate()
        processRecords = options.stateDirectory.map { ProcessRecordFile(stateDirectory: $0, logger: options.logger) }
        artifacts = ArtifactResolver(
            cacheDirectory: options.effectiveCacheDirectory, maximumSize: options.maximumArtifactSize,
            timeout: options.artifactTimeout, allowedBuckets: options.allowedArtifactBuckets)
        // issue 14: limits
        cgroupHost = options.useCgroups ? CgroupHost.detect() : .failure(CgroupError("cgroups are turned off for this nexlet"))
        cgroupOwnerTag = CgroupHost.ownerTag(options.stateDirectory?.path ?? "nexlet-\(UUID().uuidString)")
        // issue 12: sandbox
        if let problem = options.sandboxProblems.first { throw NativeStartError.sandboxUnavailable(problem) }
        sandboxing = options.sandboxesWorkloads
            ? try WorkloadSandboxing(range: options.workloadUIDRange, owner: options.stateDirectory?.path ?? "nexlet-\(UUID().uuidString)")
            : nil
        if sandboxing == nil {
            let reason = options.workloadsAsNodeUser
                ? "workloads_as_node_user is set"
                : "the node does not run as root (uid \(geteuid())), so it cannot give workloads users of their own"
            options.logger.warning(
                "native workloads run as the node's own user and are NOT isolated: each can read the others' environment (credentials), signal them, and reach the node's files and processes",
                metadata: ["reason": "\(reason)"])
        }
    }

    /// The nexlet's curve key: the configured seed; else, with a state directory, the seed kept in
    /// `<state>/xkey.seed` (made once), so environments sealed for stored workloads still open after a
    /// restart; else a fresh key.
    static func xkey(_ options: NativeNexletOptions) throws -> NexletXKey {
        if let seed = options.xkeySeed { return try NexletXKey(seed: seed) }
        guard let directory = options.stateDirectory else { return try NexletXKey.generate() }
        let file = directory.appendingPathComponent("xkey.seed")
        do {
            try PrivateFile.directory(directory, mode: 0o700)
        } catch {
            throw NativeStartError.invalidEnvironment("cannot create the nexlet state directory \(directory.path): \(error)")
        }
        if let stored = try? String(contentsOf: file, encoding: .utf8) {
            chmod(file.path, 0o600)  // a seed stored by an older version may be more open
            return try NexletXKey(seed: stored.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let fresh = try NexletXKey.generate()
        guard let seed = fresh.seed else { return fresh }
        do {
            try PrivateFile.create(file, contents: Data(seed.utf8))
        } catch {
            throw NativeStartError.invalidEnvironment("cannot store the nexlet xkey seed in \(file.path): \(error)")
        }
        return fresh
    }

    /// The public curve key clients seal `encrypted_environment` to.
    public var publicXkey: String { xkey.publicKey }

    // issue 12: limits
    /// The node seals `run_request` and the workload seed to the same key (``NexletSealedPayloadRecipient``).
    public var sealingKey: NexletXKey? { xkey }

    var logger: Logger { state.withLock { $0.host?.logger } ?? options.logger }

    // MARK: Runner hooks

    /// Keeps the host and stops processes a previous (crashed) run left behind, before the runner serves
    /// requests and replays the node's stored workloads.
    public func attach(to host: NexletHost) async {
        state.withLock { $0.host = host }
        _ = await recoverOrphans()
        // issue 14: limits
        await removeOrphanCgroups()
        startMetricsLoop()
    }

    /// Stops every workload (unless ``NativeNexletOptions/stopWorkloadsOnDetach`` is off) without events:
    /// the node keeps them as desired state and replays them when it comes back.
    public func detach() async {
        let crashed = state.withLock { $0.crashed }
        guard !crashed else { return }
        if options.stopWorkloadsOnDetach {
            await withTaskGroup(of: Void.self) { group in
                for id in workloadIDs {
                    group.addTask { _ = await self.end(id, namespace: nil, grace: self.options.stopGrace) }
                }
            }
        }
        stopMetricsLoop()
        if options.stopWorkloadsOnDetach { await removeCgroupParents() }
        state.withLock { $0.host = nil }
    }

    /// Stops the recorded processes of a previous run that this instance does not hold (see
    /// ``NativeNexletOptions/stateDirectory``). Called on attach; callers may run it earlier themselves.
    @discardableResult
    public func recoverOrphans() async -> [OrphanRecovery] {
        guard let processRecords, let owner = options.stateDirectory?.path else { return [] }
        let mine = Set(workloadIDs)
        let recorded = await processRecords.stopOrphans(keeping: mine, grace: options.orphanGrace)
        let unrecorded = await OrphanScan.stopUnrecorded(owner: owner, keeping: mine, grace: options.orphanGrace, logger: logger)
        // issue 12: sandbox. What an orphan started outside its process group still runs under its recorded uid.
        if let sandboxing {
            let gone = recorded.filter { $0.record.bootID == NativeProcessRecord.currentBootID && $0.outcome != .stillRunning }
                .map(\.record)
            _ = try? await Blocking.run {
                gone.forEach(sandboxing.reclaim)
                // Uids a crashed run had in use without a record (a crash between lease and record).
                sandboxing.uids.reclaimAbandoned()
            }
        }
        return recorded + unrecorded
    }

    public func summary() async -> NexletStatus {
        let (count, namespaces) = state.withLock { state in
            (state.workloads.count, Set(state.workloads.values.map(\.namespace)).count)
        }
        let data = #"{"namespace_count":\#(namespaces),"register_type":"\#(registration.registerType)"}"#
        return NexletStatus(state: .running, workloadCount: count, data: data)
    }

    public func setLameduck(delay: Duration) async throws {
        state.withLock { $0.lameduck = true }
        let grace = min(options.stopGrace, max(delay, .zero))
        let host = state.withLock { $0.host }
        await withTaskGroup(of: Void.self) { group in
            for id in workloadIDs {
                group.addTask {
                    guard case .stopped(let namespace) = await self.end(id, namespace: nil, grace: grace) else { return }
                    await host?.unregisterTrigger(workloadID: id)
                    await host?.emitWorkloadStopped(workloadID: id, namespace: namespace)
                }
            }
        }
    }

    var workloadIDs: [String] { state.withLock { Array($0.workloads.keys) } }

    // MARK: Test hooks (`package`: the package's tests call them; they are no part of the public API)

    /// Behaves as if the process had died: from now on nothing is reported, recorded or stopped, and the
    /// workload processes are left running (for orphan tests).
    package func simulateCrash() {
        let leases = state.withLock { state in
            state.crashed = true
            return state.workloads.values.compactMap(\.sandbox)
        }
        leases.forEach { $0.abandon() }
    }

    /// The pid of a workload's current process.
    package func processID(of workloadID: String) -> Int32? {
        state.withLock { $0.workloads[workloadID]?.pid }
    }
}
