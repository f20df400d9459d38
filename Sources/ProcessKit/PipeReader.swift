#if os(Linux)
import CProcessShim
import Glibc

/// Reads one output pipe of a child on the event loop, splits it into lines and pushes them into
/// the shared ``OutputBuffer``. Confined to the loop thread after ``start(on:)``.
final class PipeReader: EventLoopHandler, @unchecked Sendable {
    /// Reads per readiness event before yielding to other descriptors (fairness).
    private static let readsPerEvent = 4

    private let fd: Int32
    private let buffer: OutputBuffer
    private var splitter: LineSplitter
    private var token: UInt64 = 0

    /// Takes ownership of `fd` (non-blocking, close-on-exec).
    init(fd: Int32, stream: LogStream, buffer: OutputBuffer) {
        self.fd = fd
        self.buffer = buffer
        self.splitter = LineSplitter(stream: stream)
    }

    /// Starts reading; loop thread only. If registration fails the stream is ended at once.
    func start(on loop: ProcessEventLoop) {
        switch loop.add(fd: fd, events: EpollBits.readable | EpollBits.oneShot, handler: self) {
        case .success(let token):
            self.token = token
        case .failure:
            close(fd)
            buffer.finish(splitter.stream)
        }
    }

    func handleEvent(_ events: UInt32, loop: ProcessEventLoop) {
        var lines: [LogLine] = []
        for _ in 0..<Self.readsPerEvent {
            let scratch = loop.readBuffer
            let count = read(fd, scratch.baseAddress, scratch.count)
            if count > 0 {
                splitter.feed(UnsafeRawBufferPointer(rebasing: scratch[0..<count]), into: &lines)
                if !push(lines, loop: loop) {
                    return  // paused; the buffer re-arms us via `resume`
                }
                lines.removeAll(keepingCapacity: true)
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EINTR) {
                break
            }
            // End of file (or a read error, which ends the stream the same way).
            splitter.finish(into: &lines)
            _ = push(lines, loop: loop)
            loop.remove(token)
            close(fd)
            buffer.finish(splitter.stream)
            return
        }
        loop.rearm(token, events: EpollBits.readable | EpollBits.oneShot)
    }

    private func push(_ lines: [LogLine], loop: ProcessEventLoop) -> Bool {
        buffer.push(lines, stream: splitter.stream) { [self] in
            loop.execute { [self] in
                loop.rearm(token, events: EpollBits.readable | EpollBits.oneShot)
            }
        }
    }
}
#endif
