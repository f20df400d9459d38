#if os(Linux)
/// How a process ended: a normal exit with a code, or termination by a signal.
public enum ProcessExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// The process called `exit(code)` (or returned `code` from `main`).
    case exited(code: Int32)
    /// The process was terminated by `signal` (core dumps included).
    case signaled(signal: Int32)
    /// The status could not be collected because something else in this process reaped the
    /// child (a `waitpid(-1)` elsewhere, or SIGCHLD set to SIG_IGN).
    case unknown

    /// True only for `exit(0)`.
    public var isSuccess: Bool { self == .exited(code: 0) }

    /// A single number in the shell convention: the exit code, or `128 + signal` when signalled.
    /// This is what a `WORKLOADSTOPPED` event reports as its error code.
    public var shellCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        case .unknown: 255
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit code \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .unknown: "exit status unknown (reaped elsewhere)"
        }
    }
}
#endif
