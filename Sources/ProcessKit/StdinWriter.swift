#if os(Linux)
import CProcessShim
import Glibc

/// Writes the spec's stdin bytes into the child's stdin pipe on the event loop, then closes it.
/// A child that exits (or closes stdin) early simply ends the write (EPIPE, no SIGPIPE).
final class StdinWriter: EventLoopHandler, @unchecked Sendable {
    private let fd: Int32
    private let data: [UInt8]
    private var offset = 0
    private var token: UInt64 = 0

    /// Takes ownership of `fd` (non-blocking, close-on-exec).
    init(fd: Int32, data: [UInt8]) {
        self.fd = fd
        self.data = data
    }

    /// Loop thread only.
    func start(on loop: ProcessEventLoop) {
        if data.isEmpty {
            close(fd)
            return
        }
        switch loop.add(fd: fd, events: EpollBits.writable | EpollBits.oneShot, handler: self) {
        case .success(let token):
            self.token = token
        case .failure:
            close(fd)
        }
    }

    func handleEvent(_ events: UInt32, loop: ProcessEventLoop) {
        while offset < data.count {
            let written = data.withUnsafeBytes { bytes in
                write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written > 0 {
                offset += written
                continue
            }
            if written < 0 && errno == EINTR {
                continue
            }
            if written < 0 && errno == EAGAIN {
                loop.rearm(token, events: EpollBits.writable | EpollBits.oneShot)
                return
            }
            if written < 0 && errno == EPIPE {
                cps_discard_pending_sigpipe()
            }
            break
        }
        loop.remove(token)
        close(fd)
    }
}
#endif
