#if os(Linux)
/// The output of a process as lines, stdout and stderr interleaved in arrival order (each stream
/// in its own order). Ends after both streams reached end-of-file.
///
/// Meant for one consumer. Reading is back-pressured: while the consumer lags, the child blocks
/// in `write` instead of data being dropped, so a workload's output must be consumed (or the
/// sequence, its iterators and the ``RunningProcess`` released, which switches to discarding).
public struct ProcessOutput: AsyncSequence, Sendable {
    public typealias Element = LogLine
    public typealias Failure = Never

    let consumer: OutputConsumer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        public typealias Element = LogLine
        public typealias Failure = Never

        let consumer: OutputConsumer

        /// The next line; `nil` at the end of both streams or when the task is cancelled.
        public mutating func next() async -> LogLine? {
            await consumer.buffer.next()
        }
    }
}

/// Keeps the buffer in "someone reads" mode for as long as it is referenced.
final class OutputConsumer: Sendable {
    let buffer: OutputBuffer

    init(buffer: OutputBuffer) {
        self.buffer = buffer
    }

    deinit {
        buffer.consumerGone()
    }
}
#endif
