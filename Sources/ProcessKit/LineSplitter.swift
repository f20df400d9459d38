#if os(Linux)
import Glibc

/// Splits a byte stream into lines: at each `\n`, and after ``maximumLineLength`` bytes of a line
/// without a newline. Pure and synchronous; fed from the event loop.
struct LineSplitter {
    /// Longest line (or piece of a line) delivered in one ``LogLine``: 64 KiB.
    static let maximumLineLength = 64 * 1024

    let stream: LogStream
    let limit: Int
    private var pending: [UInt8] = []

    init(stream: LogStream, limit: Int = LineSplitter.maximumLineLength) {
        precondition(limit > 0, "line limit must be positive")
        self.stream = stream
        self.limit = limit
    }

    /// Bytes held back waiting for the end of their line.
    var pendingCount: Int { pending.count }

    /// Consumes `chunk` and appends every completed line (or full-length piece) to `lines`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, into lines: inout [LogLine]) {
        guard let base = chunk.baseAddress else {
            return
        }
        var start = 0
        let end = chunk.count
        while start < end {
            // A line may hold `limit` bytes plus its newline, so look one byte further.
            let room = limit - pending.count
            let window = min(end - start, room + 1)
            if let hit = memchr(base + start, 0x0A, window) {
                let newline = base.distance(to: UnsafeRawPointer(hit))
                append(base, from: start, to: newline)
                emit(endsWithNewline: true, into: &lines)
                start = newline + 1
            } else if window == room + 1 {
                // More than `limit` bytes without a newline: deliver a full piece.
                append(base, from: start, to: start + room)
                emit(endsWithNewline: false, into: &lines)
                start += room
            } else {
                append(base, from: start, to: end)
                start = end
            }
        }
    }

    /// Flushes a last line that had no newline (at end of stream).
    mutating func finish(into lines: inout [LogLine]) {
        if !pending.isEmpty {
            emit(endsWithNewline: false, into: &lines)
        }
    }

    private mutating func append(_ base: UnsafeRawPointer, from: Int, to: Int) {
        guard to > from else {
            return
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(start: base + from, count: to - from))
    }

    private mutating func emit(endsWithNewline: Bool, into lines: inout [LogLine]) {
        lines.append(LogLine(stream: stream, bytes: pending, endsWithNewline: endsWithNewline))
        pending = []
        pending.reserveCapacity(128)
    }
}
#endif
