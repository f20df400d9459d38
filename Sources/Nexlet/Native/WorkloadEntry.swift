import NexProtocol
import ProcessKit

/// How a workload is run once it has started.
enum WorkloadRunner: Sendable {
    /// Still starting (artifact, environment, spawn).
    case pending
    /// A service or job: its supervisor and the task that turns supervisor events into nex events.
    case supervised(ProcessSupervisor, monitor: Task<Void, Never>)
    /// A function: the process to spawn per trigger message.
    case function(ProcessSpec)
}

/// Who ends a workload: a stop (user, lameduck, detach) or the workload itself (job done, service gave up).
enum WorkloadEnding: Sendable, Equatable {
    case stopping
    case finished
}

/// One workload the native nexlet holds.
struct WorkloadEntry: Sendable {
    let id: String
    /// The definition as received, with a generated name when it had none.
    var request: StartWorkloadRequest
    let startTime: GoTime
    var state: WorkloadState = .starting
    var runner: WorkloadRunner = .pending
    var ending: WorkloadEnding?
    /// A stop came in while starting: the start undoes itself.
    var stopRequested = false
    var exposedPorts: [Int]
    var triggerSubject: String?
    /// The current process (services and jobs).
    var pid: Int32?
    /// Processes started so far (services and jobs).
    var runs = 0
    var restarts = 0
    /// Function invocations running now, and their total time so far.
    var invocations = 0
    var functionTime: Duration = .zero
    /// Waiting for `runner` to leave `.pending`.
    var settledWaiters: [CheckedContinuation<Void, Never>] = []
    /// Waiting for the entry to be removed.
    var goneWaiters: [CheckedContinuation<Void, Never>] = []
    // issue 12: sandbox
    /// The workload's uid and home, when workloads are sandboxed.
    var sandbox: SandboxLease?
    /// Functions: how many invocations may run at once.
    var gate: FunctionGate?
    // issue 14: limits
    /// The requested limits (empty = none).
    var limits = WorkloadLimits()
    /// The workload's cgroup, when it has limits.
    var cgroup: WorkloadCgroup?
    /// Processes the kernel killed for memory so far, and whether the last exit was one of them.
    var oomKills = 0
    var lastExitWasOOM = false
    /// The last metrics sample and the CPU share between the last two.
    var lastUsage: (usage: WorkloadUsage, at: ContinuousClock.Instant)?
    var cpuPercent: Double?

    var namespace: String { request.namespace }

    var isPending: Bool {
        if case .pending = runner { return true }
        return false
    }
}
