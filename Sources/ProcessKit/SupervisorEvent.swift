#if os(Linux)
/// What happens to a supervised workload, in order. The nexlet turns these into
/// `WORKLOADSTARTED` / `WORKLOADSTOPPED` events. Exactly one terminal event (``isTerminal``)
/// ends the sequence.
public enum SupervisorEvent: Sendable, Hashable {
    /// A process of the workload was started (after the first start and after every restart).
    case started(ProcessIdentity)
    /// A process of the workload exited on its own (not because of ``ProcessSupervisor/stop(grace:)``).
    case exited(ProcessExitStatus)
    /// A service will be restarted after `delay`; `attempt` counts restarts from 1.
    case restarting(attempt: Int, delay: Duration)
    /// Terminal: a service exited after its last allowed restart; its last status.
    case gaveUp(ProcessExitStatus)
    /// Terminal: a job ran to its end.
    case completed(ProcessExitStatus)
    /// Terminal: a restart could not spawn the process (e.g. the artifact disappeared).
    case restartFailed(ProcessError, lastStatus: ProcessExitStatus)
    /// Terminal: stopped on request; the status of the process that was stopped, `nil` if none
    /// was running (e.g. stopped while waiting to restart).
    case stopped(ProcessExitStatus?)

    /// True for the events that end the workload.
    public var isTerminal: Bool {
        switch self {
        case .started, .exited, .restarting: false
        case .gaveUp, .completed, .restartFailed, .stopped: true
        }
    }
}

/// How a supervisor treats the end of its process.
public enum SupervisionMode: Sendable, Hashable {
    /// Restart on every exit (whatever the status) according to the policy.
    case service(RestartPolicy)
    /// Run once; the exit is final.
    case job
}
#endif
