#if os(Linux)
import Dispatch
import Foundation
import Glibc
import OffPool

/// A started workload process: its identity, its output, its exit, and how to stop it.
///
/// The process is the leader of its own process group; signals from ``signalGroup(_:)`` and
/// ``stop(grace:)`` go to the whole group. When the leader exits, anything left in its group is
/// killed, then the leader is reaped (by this layer only, for this pid only).
public final class RunningProcess: Sendable {
    /// Process id of the leader.
    public let pid: Int32
    /// Process group id (equal to ``pid``).
    public var processGroup: Int32 { pid }
    /// Wall-clock time of the spawn.
    public let startDate: Date
    /// Pid, group and kernel start time: what to record to recognise the process after a crash
    /// of the node (see ``OrphanControl``).
    public let identity: ProcessIdentity
    /// The process's stdout and stderr, line by line. Consume it (see ``ProcessOutput``).
    public let output: ProcessOutput

    private let reaper: ChildReaper

    private init(pid: Int32, startDate: Date, identity: ProcessIdentity, output: ProcessOutput, reaper: ChildReaper) {
        self.pid = pid
        self.startDate = startDate
        self.identity = identity
        self.output = output
        self.reaper = reaper
    }

    /// Starts `spec`. Checks the executable first (missing, directory, not a regular file, not
    /// executable) and throws a precise ``ProcessError`` without creating a process. The system
    /// calls run on a dedicated queue, not on the Swift cooperative pool.
    public static func spawn(_ spec: ProcessSpec) async throws(ProcessError) -> RunningProcess {
        try await spawn(spec, strategy: .automatic)
    }

    static func spawn(_ spec: ProcessSpec, strategy: ReaperStrategy) async throws(ProcessError) -> RunningProcess {
        let result = await Blocking.value { () -> Result<RunningProcess, ProcessError> in
            Result { () throws(ProcessError) in try spawnNow(spec, strategy: strategy) }
        }
        return try result.get()
    }

    private static func spawnNow(_ spec: ProcessSpec, strategy: ReaperStrategy) throws(ProcessError) -> RunningProcess {
        try spec.validateStrings()
        let executable = try ExecutableCheck.resolve(spec.executablePath)
        if let directory = spec.workingDirectory {
            try ExecutableCheck.checkDirectory(directory)
        }
        let loop = try ProcessEventLoop.shared.get()
        let child = try Spawner.spawn(spec, executable: executable)
        let startDate = Date()
        // The child cannot have been reaped yet (only our reaper does that, and it starts
        // below), so its /proc entry exists, if only as a zombie.
        let startTime = ProcStat.read(pid: child.pid)?.startTime ?? 0
        let identity = ProcessIdentity(pid: child.pid, processGroup: child.pid, startTime: startTime)

        let buffer = OutputBuffer()
        let stdoutReader = PipeReader(fd: child.stdoutRead, stream: .stdout, buffer: buffer)
        let stderrReader = PipeReader(fd: child.stderrRead, stream: .stderr, buffer: buffer)
        let stdinWriter = child.stdinWrite.map { StdinWriter(fd: $0, data: spec.standardInput ?? []) }
        loop.execute {
            stdoutReader.start(on: loop)
            stderrReader.start(on: loop)
            stdinWriter?.start(on: loop)
        }
        let reaper = ChildReaper(pid: child.pid)
        reaper.watch(on: loop, strategy: strategy)
        return RunningProcess(
            pid: child.pid, startDate: startDate, identity: identity,
            output: ProcessOutput(consumer: OutputConsumer(buffer: buffer)), reaper: reaper)
    }

    /// The exit status, once the process has exited and been reaped. Delivered exactly once
    /// (every caller sees the same value). Waits as long as it takes and ignores cancellation;
    /// see ``waitForExit(timeout:)`` for a bounded wait.
    public var exitStatus: ProcessExitStatus {
        get async { await reaper.status.value }
    }

    /// Runs `action` with the exit status once the process has been reaped (on the reaping thread; at once if
    /// it already was). Keep it short: start a task for anything that waits.
    func whenExited(_ action: @escaping @Sendable (ProcessExitStatus) -> Void) {
        reaper.status.whenSettled(action)
    }

    /// The exit status if the process has already exited and been reaped.
    public var currentExitStatus: ProcessExitStatus? { reaper.status.current }

    /// Waits for the exit at most `timeout`; `nil` on timeout or cancellation.
    public func waitForExit(timeout: Duration) async -> ProcessExitStatus? {
        await reaper.status.value(timeout: timeout)
    }

    /// Sends `signal` to the process group. Returns `false` once the process has been reaped
    /// (nothing is signalled then: its pid may already belong to someone else).
    @discardableResult
    public func signalGroup(_ signal: Int32) -> Bool {
        reaper.signalGroup(signal)
    }

    /// Stops the process: SIGTERM to the group, up to `grace` for it to exit, then SIGKILL to
    /// the group. Returns only after the process has exited and been reaped, with its status.
    /// Idempotent, safe to call concurrently (with itself and with a natural exit). Task
    /// cancellation does not shorten the grace period.
    @discardableResult
    public func stop(grace: Duration = .seconds(5)) async -> ProcessExitStatus {
        if let status = currentExitStatus {
            return status
        }
        reaper.signalGroup(SIGTERM)
        reaper.signalGroup(SIGCONT)  // a stopped (SIGSTOP) process must run to act on SIGTERM
        if let status = await reaper.status.value(timeout: grace, cancellable: false) {
            return status
        }
        reaper.signalGroup(SIGKILL)
        return await exitStatus
    }
}
#endif
