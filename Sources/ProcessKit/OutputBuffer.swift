#if os(Linux)
import Synchronization

/// The bounded queue between the pipe readers (on the event loop) and the one consumer of a
/// process's output.
///
/// Back-pressure instead of loss: when more than `highWater` bytes of one stream are waiting,
/// the reader of that stream stops reading (parking a resume action here); the child then blocks
/// in `write` once the pipe is full. When the consumer has taken the stream below `lowWater`,
/// the resume action runs. If the consumer goes away, everything is discarded and the readers
/// read on to end-of-file, so the child never blocks forever.
final class OutputBuffer: Sendable {
    private struct State {
        var queue = FIFO<LogLine>()
        var bufferedBytes = [0, 0]
        var parkedReaders: [(@Sendable () -> Void)?] = [nil, nil]
        var openStreams = 2
        var waiters: [(id: UInt64, continuation: CheckedContinuation<LogLine?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var consumerGone = false
    }

    let highWater: Int
    let lowWater: Int
    private let state = Mutex(State())

    init(highWater: Int = 1 << 20) {
        self.highWater = max(highWater, 1)
        self.lowWater = max(highWater / 2, 1)
    }

    // MARK: Producer side (event loop)

    /// Appends the lines of one stream. Returns `true` if the reader may keep reading; `false`
    /// if it must pause, in which case `resume` will be called once there is room again.
    func push(_ lines: [LogLine], stream: LogStream, resume: @escaping @Sendable () -> Void) -> Bool {
        guard !lines.isEmpty else {
            return true
        }
        var handOff: (CheckedContinuation<LogLine?, Never>, LogLine)?
        let keepReading = state.withLock { state -> Bool in
            if state.consumerGone {
                return true
            }
            var remaining = lines[...]
            if state.queue.isEmpty, !state.waiters.isEmpty, let first = remaining.first {
                handOff = (state.waiters.removeFirst().continuation, first)
                remaining = remaining.dropFirst()
            }
            for line in remaining {
                state.queue.append(line)
                state.bufferedBytes[stream.index] += line.bytes.count
            }
            if state.bufferedBytes[stream.index] > highWater {
                state.parkedReaders[stream.index] = resume
                return false
            }
            return true
        }
        if let (continuation, line) = handOff {
            continuation.resume(returning: line)
        }
        return keepReading
    }

    /// Marks `stream` as ended (after its last lines were pushed).
    func finish(_ stream: LogStream) {
        let waiters = state.withLock { state -> [CheckedContinuation<LogLine?, Never>] in
            state.openStreams -= 1
            guard state.openStreams == 0, state.queue.isEmpty else {
                return []
            }
            defer { state.waiters = [] }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters {
            waiter.resume(returning: nil)
        }
    }

    /// Bytes queued per stream and whether its reader is paused (for tests and diagnostics).
    var occupancy: (stdout: Int, stderr: Int, stdoutPaused: Bool, stderrPaused: Bool) {
        state.withLock { state in
            (state.bufferedBytes[0], state.bufferedBytes[1], state.parkedReaders[0] != nil, state.parkedReaders[1] != nil)
        }
    }

    // MARK: Consumer side

    /// The next line in arrival order, `nil` once both streams ended and everything was taken
    /// (or when the calling task is cancelled).
    func next() async -> LogLine? {
        if let immediate = takeIfReady() {
            return immediate.line
        }
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<LogLine?, Never>) in
                let ready: Taken? = state.withLock { state in
                    if let taken = Self.take(from: &state, lowWater: lowWater) {
                        return taken
                    }
                    if Task.isCancelled {
                        return Taken(line: nil, resume: nil)
                    }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let ready {
                    ready.resume?()
                    continuation.resume(returning: ready.line)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<LogLine?, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else {
                    return nil
                }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Called when nobody will ever read again: drop what is queued, let paused readers go on.
    func consumerGone() {
        let parked = state.withLock { state -> [@Sendable () -> Void] in
            state.consumerGone = true
            state.queue = FIFO()
            state.bufferedBytes = [0, 0]
            defer { state.parkedReaders = [nil, nil] }
            return state.parkedReaders.compactMap { $0 }
        }
        for resume in parked {
            resume()
        }
    }

    private struct Taken {
        var line: LogLine?
        var resume: (@Sendable () -> Void)?
    }

    private func takeIfReady() -> Taken? {
        let taken = state.withLock { Self.take(from: &$0, lowWater: lowWater) }
        taken?.resume?()
        return taken
    }

    /// Pops the next line (or reports the end); `nil` when the consumer has to wait.
    private static func take(from state: inout State, lowWater: Int) -> Taken? {
        guard let line = state.queue.popFirst() else {
            return state.openStreams == 0 ? Taken(line: nil, resume: nil) : nil
        }
        let index = line.stream.index
        state.bufferedBytes[index] -= line.bytes.count
        var resume: (@Sendable () -> Void)?
        if state.bufferedBytes[index] <= lowWater, let parked = state.parkedReaders[index] {
            resume = parked
            state.parkedReaders[index] = nil
        }
        return Taken(line: line, resume: resume)
    }
}

/// A first-in first-out queue with amortised O(1) operations.
struct FIFO<Element> {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }

    mutating func append(_ element: Element) {
        storage.append(element)
    }

    mutating func popFirst() -> Element? {
        guard head < storage.count else {
            return nil
        }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}
#endif
