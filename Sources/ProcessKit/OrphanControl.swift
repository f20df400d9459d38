#if os(Linux)
import CProcessShim
import Glibc

/// Finds and stops workload processes that outlived a crashed node.
///
/// The node records the ``ProcessIdentity`` of every workload process (``RunningProcess/identity``).
/// After a restart, ``isRunning(_:)`` tells whether that exact process still runs (a reused pid
/// has a different start time) and ``terminate(_:grace:killTimeout:)`` stops its group.
///
/// These processes are not children of the new node: they are watched through a pidfd (or by
/// polling `/proc` without pidfd support), never waited for.
public enum OrphanControl {
    /// How ``terminate(_:grace:killTimeout:)`` ended.
    public enum Outcome: Sendable, Hashable {
        /// The recorded process was not running (any more): nothing was signalled.
        case notRunning
        /// It exited within the grace period after SIGTERM.
        case terminated
        /// It was killed with SIGKILL after the grace period.
        case killed
        /// It was still running after SIGKILL and `killTimeout` (e.g. stuck in the kernel).
        case stillRunning
    }

    /// True if the process recorded as `identity` still runs: same pid, same start time, not a
    /// zombie.
    public static func isRunning(_ identity: ProcessIdentity) -> Bool {
        guard let stat = ProcStat.read(pid: identity.pid) else {
            return false
        }
        return stat.startTime == identity.startTime && !stat.isZombie
    }

    /// Stops the recorded process and its group: SIGTERM, up to `grace` to exit, then SIGKILL,
    /// up to `killTimeout` more. Members of its group left after the leader exited are killed.
    ///
    /// The group is signalled only while the leader is verified to be the recorded process and
    /// still leads that group; otherwise only the leader itself is signalled (through its pidfd).
    public static func terminate(
        _ identity: ProcessIdentity,
        grace: Duration = .seconds(5),
        killTimeout: Duration = .seconds(5)
    ) async -> Outcome {
        guard let watch = OrphanWatch.open(identity) else {
            return .notRunning
        }
        defer { watch.close() }
        watch.signal(SIGTERM)
        if await watch.waitForExit(timeout: grace) {
            watch.killGroupRemainder()
            return .terminated
        }
        watch.signal(SIGKILL)
        if await watch.waitForExit(timeout: killTimeout) {
            watch.killGroupRemainder()
            return .killed
        }
        return .stillRunning
    }
}

/// A verified handle on a recorded process: its pidfd (when available) pins the exact process
/// for signals and exit notification.
final class OrphanWatch: Sendable {
    private let identity: ProcessIdentity
    private let pidfd: Int32?
    private let exited = OnceValue<Void>()
    private let watcher: OrphanExitWatcher?

    private init(identity: ProcessIdentity, pidfd: Int32?) {
        self.identity = identity
        self.pidfd = pidfd
        if let pidfd, case .success(let loop) = ProcessEventLoop.shared {
            let watcher = OrphanExitWatcher(pidfd: pidfd, exited: exited)
            self.watcher = watcher
            loop.execute { watcher.start(on: loop) }
        } else {
            self.watcher = nil
        }
    }

    /// Opens a handle if the recorded process runs; verification happens after the pidfd is
    /// open, so the handle cannot refer to a process that reused the pid.
    static func open(_ identity: ProcessIdentity) -> OrphanWatch? {
        let fd = cps_pidfd_open(identity.pid)
        if fd < 0 && errno == ESRCH {
            return nil
        }
        guard OrphanControl.isRunning(identity) else {
            if fd >= 0 {
                Glibc.close(fd)
            }
            return nil
        }
        return OrphanWatch(identity: identity, pidfd: fd >= 0 ? fd : nil)
    }

    /// Signals the group if the process still leads it, else the process alone.
    func signal(_ signal: Int32) {
        let leadsGroup = ProcStat.read(pid: identity.pid).map {
            $0.processGroup == identity.processGroup && $0.startTime == identity.startTime && !$0.isZombie
        } ?? false
        if leadsGroup && identity.processGroup > 1 {
            _ = kill(-identity.processGroup, signal)
        } else if let pidfd {
            _ = cps_pidfd_send_signal(pidfd, signal)
        } else if OrphanControl.isRunning(identity) {
            _ = kill(identity.pid, signal)
        }
    }

    /// After the leader exited: SIGKILL whatever is left in its group. The group id cannot have
    /// been reused while any member remains, so this reaches only the workload's processes.
    func killGroupRemainder() {
        if identity.processGroup > 1 && identity.processGroup == identity.pid {
            _ = kill(-identity.processGroup, SIGKILL)
        }
    }

    /// True once the process has exited (within `timeout`). Woken by the pidfd when there is
    /// one; `/proc` is checked as well, at least every 100 ms.
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while OrphanControl.isRunning(identity) {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero {
                return false
            }
            let slice = min(remaining, .milliseconds(100))
            if watcher != nil {
                if await exited.value(timeout: slice, cancellable: false) != nil {
                    return true
                }
            } else {
                try? await Task.sleep(for: min(slice, .milliseconds(20)))
            }
        }
        return true
    }

    func close() {
        guard let watcher, case .success(let loop) = ProcessEventLoop.shared else {
            if let pidfd {
                Glibc.close(pidfd)
            }
            return
        }
        loop.execute { watcher.stop(on: loop) }
    }
}

/// Settles `exited` when the pidfd of a non-child turns readable (the process exited).
final class OrphanExitWatcher: EventLoopHandler, @unchecked Sendable {
    private let pidfd: Int32
    private let exited: OnceValue<Void>
    private var token: UInt64?
    private var closed = false

    init(pidfd: Int32, exited: OnceValue<Void>) {
        self.pidfd = pidfd
        self.exited = exited
    }

    func start(on loop: ProcessEventLoop) {
        guard !closed, case .success(let token) = loop.add(fd: pidfd, events: EpollBits.readable, handler: self) else {
            return
        }
        self.token = token
    }

    func handleEvent(_ events: UInt32, loop: ProcessEventLoop) {
        exited.settle(())
        if let token {
            loop.remove(token)
            self.token = nil
        }
    }

    /// Unregisters and closes the pidfd. Loop thread only.
    func stop(on loop: ProcessEventLoop) {
        guard !closed else {
            return
        }
        closed = true
        if let token {
            loop.remove(token)
        }
        Glibc.close(pidfd)
    }
}
#endif
