#if os(Linux)
/// Runs one workload as a service (restarted with backoff up to a limit) or as a job (once),
/// forwards its output to a log sink, and reports what happens as ``SupervisorEvent``s.
///
/// ```swift
/// let supervisor = ProcessSupervisor(spec: spec, mode: .service(.standard)) { line in
///     await publish(line)
/// }
/// try await supervisor.start()
/// for await event in supervisor.events { … }
/// ```
public actor ProcessSupervisor {
    private enum Phase {
        case idle
        case starting
        case running(RunningProcess)
        case waitingToRestart(Task<Void, Never>)
        case stopping
        case finished
    }

    /// The lifecycle events, ending after the terminal event. One consumer.
    public nonisolated let events: AsyncStream<SupervisorEvent>

    /// How long a process gets to exit after SIGTERM on ``stop(grace:)`` without a grace.
    public let stopGrace: Duration
    public let spec: ProcessSpec
    private let respawn: (@Sendable (ProcessSpec) async -> ProcessSpec)?
    public let mode: SupervisionMode

    /// Log lines of every run wait for the sink this long after the process exited before the
    /// exit is reported (output still held by an escaped grandchild must not stall it).
    static let outputDrainTimeout: Duration = .seconds(2)

    private let logSink: @Sendable (LogLine) async -> Void
    private let continuation: AsyncStream<SupervisorEvent>.Continuation
    private let terminal = OnceValue<SupervisorEvent>()
    private var phase = Phase.idle
    private var stopRequested = false
    private var requestedGrace: Duration?
    private var run = 0
    /// Restarts so far (0 for a job).
    private(set) public var restarts = 0

    /// - Parameters:
    ///   - spec: what to run (the same spec for every restart, unless `respawn` changes it).
    ///   - mode: service with a restart policy, or job.
    ///   - stopGrace: the default grace period of ``stop(grace:)``.
    ///   - logSink: receives every output line of every run, in order per stream; a slow sink
    ///     slows the process down (back-pressure), it never loses lines.
    ///   - respawn: called before each restart with the spec of the first run; what it returns is run
    ///     instead (e.g. with fresh short-lived credentials in the environment).
    public init(
        spec: ProcessSpec,
        mode: SupervisionMode,
        stopGrace: Duration = .seconds(5),
        logSink: @escaping @Sendable (LogLine) async -> Void = { _ in },
        respawn: (@Sendable (ProcessSpec) async -> ProcessSpec)? = nil
    ) {
        self.spec = spec
        self.mode = mode
        self.stopGrace = stopGrace
        self.respawn = respawn
        self.logSink = logSink
        (events, continuation) = AsyncStream.makeStream(of: SupervisorEvent.self)
    }

    /// The process currently running, if any.
    public var currentProcess: RunningProcess? {
        if case .running(let process) = phase {
            return process
        }
        return nil
    }

    /// Starts the first run. Throws (and ends ``events`` without any event) if the process
    /// cannot be spawned. Calling it again does nothing.
    public func start() async throws(ProcessError) {
        guard case .idle = phase else {
            return
        }
        phase = .starting
        let process: RunningProcess
        do {
            process = try await RunningProcess.spawn(spec)
        } catch {
            phase = .finished
            continuation.finish()
            throw error
        }
        await launched(process)
    }

    /// Stops the workload: cancels a pending restart, stops the running process (SIGTERM, the
    /// grace period, SIGKILL; see ``RunningProcess/stop(grace:)``) and returns its status once it
    /// is gone. Emits ``SupervisorEvent/stopped(_:)`` unless the workload had already ended.
    /// Idempotent; concurrent calls all return when the stop is complete.
    @discardableResult
    public func stop(grace: Duration? = nil) async -> ProcessExitStatus? {
        stopRequested = true
        requestedGrace = requestedGrace ?? grace
        switch phase {
        case .idle:
            finish(with: .stopped(nil))
        case .waitingToRestart(let pending):
            pending.cancel()
            finish(with: .stopped(nil))
        case .running(let process):
            phase = .stopping
            let status = await process.stop(grace: grace ?? stopGrace)
            finish(with: .stopped(status))
        case .starting, .stopping, .finished:
            break  // whoever owns the transition finishes it
        }
        guard case .stopped(let status) = await terminal.value else {
            return nil
        }
        return status
    }

    /// Waits for the terminal event, at most `timeout`.
    public func waitUntilFinished(timeout: Duration) async -> SupervisorEvent? {
        await terminal.value(timeout: timeout)
    }

    // MARK: Runs

    private func began(_ process: RunningProcess) {
        run += 1
        let run = run
        phase = .running(process)
        continuation.yield(.started(process.identity))
        let drained = OnceValue<Void>()
        let sink = logSink
        // Off the actor: output and exit of a run must not queue behind other actor work.
        Task.detached {
            for await line in process.output {
                await sink(line)
            }
            drained.settle(())
        }
        // A callback rather than a task awaiting the exit: nothing stays suspended per running process.
        process.whenExited { status in
            Task.detached {
                _ = await drained.value(timeout: Self.outputDrainTimeout, cancellable: false)
                await self.ended(run: run, status: status)
            }
        }
    }

    private func ended(run: Int, status: ProcessExitStatus) {
        guard run == self.run, case .running = phase else {
            return  // being stopped: stop() reports it
        }
        continuation.yield(.exited(status))
        switch mode {
        case .job:
            finish(with: .completed(status))
        case .service(let policy):
            guard restarts < policy.maximumRestarts else {
                finish(with: .gaveUp(status))
                return
            }
            restarts += 1
            let delay = policy.delay(beforeRestart: restarts)
            continuation.yield(.restarting(attempt: restarts, delay: delay))
            phase = .waitingToRestart(Task {
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    return  // cancelled by stop()
                }
                await self.restart(after: status)
            })
        }
    }

    private func restart(after lastStatus: ProcessExitStatus) async {
        guard case .waitingToRestart = phase, !stopRequested else {
            return
        }
        phase = .starting
        let next = await respawn?(spec) ?? spec
        let process: RunningProcess
        do {
            process = try await RunningProcess.spawn(next)
        } catch {
            finish(with: stopRequested ? .stopped(nil) : .restartFailed(error, lastStatus: lastStatus))
            return
        }
        await launched(process)
    }

    /// A spawn finished: supervise the process, or stop it if a stop came in meanwhile.
    private func launched(_ process: RunningProcess) async {
        guard stopRequested else {
            began(process)
            return
        }
        phase = .stopping
        let status = await process.stop(grace: requestedGrace ?? stopGrace)
        finish(with: .stopped(status))
    }

    private func finish(with event: SupervisorEvent) {
        guard terminal.settle(event) else {
            return
        }
        phase = .finished
        continuation.yield(event)
        continuation.finish()
    }
}
#endif
