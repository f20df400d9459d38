#if os(Linux)
import CProcessShim
import Foundation
import Glibc
import Synchronization

/// Receives readiness events for one registered file descriptor, on the loop thread.
protocol EventLoopHandler: AnyObject {
    func handleEvent(_ events: UInt32, loop: ProcessEventLoop)
}

/// One epoll thread that serves every workload of the node: process exits (pidfds), output
/// pipes and stdin pipes. Blocking system calls never run on Swift's cooperative pool, and a
/// node with thousands of workloads needs one thread here instead of thousands.
///
/// Threading model: ``execute(_:)`` may be called from anywhere; everything else (`add`,
/// `rearm`, `remove`) and every handler runs on the loop thread only. Handlers must not block.
final class ProcessEventLoop: @unchecked Sendable {
    /// The loop used by all processes, started on first use.
    static let shared: Result<ProcessEventLoop, ProcessError> = Result { () throws(ProcessError) in
        try ProcessEventLoop()
    }

    private struct Registration {
        var fd: Int32
        var handler: any EventLoopHandler
    }

    private let epollFD: Int32
    private let wakeFD: Int32
    private let pendingTasks = Mutex<[@Sendable () -> Void]>([])
    private static let wakeToken: UInt64 = 0

    // Loop-thread state (see the type's threading model).
    private var registrations: [UInt64: Registration] = [:]
    private var nextToken: UInt64 = 1

    /// Scratch space for reads, shared by all readers (they all run on the loop thread, one at
    /// a time), so a node with thousands of pipes does not hold a read buffer per pipe.
    /// Loop thread only; never deallocated (the loop lives as long as the process).
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    private init() throws(ProcessError) {
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else {
            throw .systemCallFailed(call: "epoll_create1", errno: errno)
        }
        let wake = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        guard wake >= 0 else {
            let code = errno
            close(epoll)
            throw .systemCallFailed(call: "eventfd", errno: code)
        }
        var event = epoll_event()
        cps_epoll_event_set(&event, EPOLLIN.rawValue, Self.wakeToken)
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event) == 0 else {
            let code = errno
            close(wake)
            close(epoll)
            throw .systemCallFailed(call: "epoll_ctl", errno: code)
        }
        epollFD = epoll
        wakeFD = wake
        let thread = Thread { [self] in run() }
        thread.name = "nex-process-loop"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    /// Runs `task` on the loop thread, soon. Safe from any thread.
    func execute(_ task: @escaping @Sendable () -> Void) {
        pendingTasks.withLock { $0.append(task) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    /// Registers `fd` for `events` (EPOLL* bits; add `EPOLLONESHOT` to re-arm explicitly).
    /// Loop thread only. Returns the token naming the registration, or an errno value.
    func add(fd: Int32, events: UInt32, handler: any EventLoopHandler) -> Result<UInt64, ProcessError> {
        let token = nextToken
        nextToken += 1
        var event = epoll_event()
        cps_epoll_event_set(&event, events, token)
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            return .failure(.systemCallFailed(call: "epoll_ctl(ADD)", errno: errno))
        }
        registrations[token] = Registration(fd: fd, handler: handler)
        return .success(token)
    }

    /// Re-enables a one-shot registration. Loop thread only.
    func rearm(_ token: UInt64, events: UInt32) {
        guard let registration = registrations[token] else {
            return
        }
        var event = epoll_event()
        cps_epoll_event_set(&event, events, token)
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, registration.fd, &event)
    }

    /// Removes a registration (the caller closes the fd afterwards). Loop thread only.
    func remove(_ token: UInt64) {
        guard let registration = registrations.removeValue(forKey: token) else {
            return
        }
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, registration.fd, nil)
    }

    private func run() {
        // Writes to a child's stdin after it exited must fail with EPIPE, not kill the node.
        _ = cps_block_sigpipe_in_thread()
        let capacity: Int32 = 128
        var events = [epoll_event](repeating: epoll_event(), count: Int(capacity))
        while true {
            let count = epoll_wait(epollFD, &events, capacity, -1)
            if count < 0 {
                continue  // EINTR; other errors cannot happen with valid arguments
            }
            for index in 0..<Int(count) {
                let token = cps_epoll_event_data(&events[index])
                if token == Self.wakeToken {
                    runPendingTasks()
                } else if let registration = registrations[token] {
                    registration.handler.handleEvent(cps_epoll_event_events(&events[index]), loop: self)
                }
            }
        }
    }

    private func runPendingTasks() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        let tasks = pendingTasks.withLock { tasks in
            defer { tasks.removeAll(keepingCapacity: true) }
            return tasks
        }
        for task in tasks {
            task()
        }
    }
}

/// Commonly used epoll bits as `UInt32`.
enum EpollBits {
    static let readable = EPOLLIN.rawValue
    static let writable = EPOLLOUT.rawValue
    static let oneShot = EPOLLONESHOT.rawValue
}
#endif
