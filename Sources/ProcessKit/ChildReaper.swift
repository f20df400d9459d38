#if os(Linux)
import CProcessShim
import Foundation
import Glibc
import Synchronization

/// How the exit of a child is noticed.
enum ReaperStrategy: Sendable {
    /// A pidfd watched by the shared event loop: no thread per child. Falls back to
    /// ``threadPerChild`` when the kernel has no pidfds (Linux < 5.3).
    case automatic
    /// A dedicated thread blocked in `waitid(P_PID, pid, WEXITED | WNOWAIT)`.
    case threadPerChild
}

/// Owns the exit of one child: signals its process group while that is safe, reaps exactly this
/// pid (never `waitpid(-1)`, so other children of the node are untouched), and publishes the
/// exit status once.
///
/// Pid safety: the group is signalled only under the lock and only while the leader has not
/// been reaped. An unreaped leader (even a zombie) keeps its pid, and with it the group id, from
/// being reused, so a signal can never reach an unrelated process.
///
/// When the leader exits, whatever is left of its group is killed with SIGKILL before the
/// leader is reaped: nothing started by a workload outlives it (unless it left the group).
final class ChildReaper: Sendable {
    let pid: pid_t
    let status = OnceValue<ProcessExitStatus>()
    private let reaped = Mutex(false)

    init(pid: pid_t) {
        self.pid = pid
    }

    /// Sends `signal` to the child's process group. `false` once the child has been reaped (or
    /// if `kill` failed).
    @discardableResult
    func signalGroup(_ signal: Int32) -> Bool {
        reaped.withLock { reaped in
            guard !reaped else {
                return false
            }
            return kill(-pid, signal) == 0
        }
    }

    /// Starts watching. Call once, right after the spawn.
    func watch(on loop: ProcessEventLoop, strategy: ReaperStrategy) {
        if strategy == .automatic {
            let pidfd = cps_pidfd_open(pid)
            if pidfd >= 0 {
                let watcher = PidfdExitWatcher(pidfd: pidfd, reaper: self)
                loop.execute { watcher.start(on: loop) }
                return
            }
        }
        startWaiterThread()
    }

    /// Reaps the child if it has exited: kills the rest of its group, collects the status and
    /// publishes it. Returns `false` if the child is still running. `pidfd` selects
    /// `waitid(P_PIDFD)` over `waitid(P_PID)`.
    func reapIfExited(pidfd: Int32?) -> Bool {
        let outcome: ProcessExitStatus?? = reaped.withLock { reaped in
            guard !reaped else {
                return .some(nil)
            }
            var kind: Int32 = 0
            var value: Int32 = 0
            // Peek first: the group may only be signalled while the leader is unreaped.
            let peek = waitChild(pidfd: pidfd, options: cps_wnohang() | cps_wnowait(), &kind, &value)
            guard peek == 0 else {
                reaped = true  // ECHILD: reaped elsewhere; nothing left that is safe to signal
                return .some(.unknown)
            }
            guard kind != Int32(CPS_CHILD_NOT_READY) else {
                return nil
            }
            _ = kill(-pid, SIGKILL)
            _ = waitChild(pidfd: pidfd, options: cps_wnohang(), &kind, &value)
            reaped = true
            return .some(kind == Int32(CPS_CHILD_EXITED) ? .exited(code: value) : .signaled(signal: value))
        }
        guard let outcome else {
            return false
        }
        if let exit = outcome {
            status.settle(exit)
        }
        return true
    }

    private func waitChild(pidfd: Int32?, options: Int32, _ kind: inout Int32, _ value: inout Int32) -> Int32 {
        if let pidfd {
            return cps_waitid(1, pidfd, options, &kind, &value)
        }
        return cps_waitid(0, pid, options, &kind, &value)
    }

    /// Fallback: one thread blocked until the child exits (without reaping, see
    /// ``reapIfExited(pidfd:)``).
    private func startWaiterThread() {
        let thread = Thread { [self] in
            var kind: Int32 = 0
            var value: Int32 = 0
            while true {
                let rc = cps_waitid(0, pid, cps_wnowait(), &kind, &value)
                if rc != 0 || kind != Int32(CPS_CHILD_NOT_READY) {
                    break
                }
            }
            _ = reapIfExited(pidfd: nil)
        }
        thread.name = "nex-reaper-\(pid)"
        thread.stackSize = 64 * 1024
        thread.start()
    }
}

/// Watches a child's pidfd on the event loop; the pidfd turns readable when the child exits.
final class PidfdExitWatcher: EventLoopHandler, @unchecked Sendable {
    private let pidfd: Int32
    private let reaper: ChildReaper
    private var token: UInt64 = 0

    init(pidfd: Int32, reaper: ChildReaper) {
        self.pidfd = pidfd
        self.reaper = reaper
    }

    /// Loop thread only.
    func start(on loop: ProcessEventLoop) {
        switch loop.add(fd: pidfd, events: EpollBits.readable, handler: self) {
        case .success(let token):
            self.token = token
        case .failure:
            // Cannot watch it here: let a dedicated thread do it.
            close(pidfd)
            let reaper = reaper
            Thread {
                var kind: Int32 = 0
                var value: Int32 = 0
                _ = cps_waitid(0, reaper.pid, cps_wnowait(), &kind, &value)
                _ = reaper.reapIfExited(pidfd: nil)
            }.start()
        }
    }

    func handleEvent(_ events: UInt32, loop: ProcessEventLoop) {
        guard reaper.reapIfExited(pidfd: pidfd) else {
            return
        }
        loop.remove(token)
        close(pidfd)
    }
}
#endif
