#if os(Linux)
/// The two output streams of a process.
public enum LogStream: String, Sendable, Hashable, CaseIterable {
    case stdout
    case stderr

    var index: Int { self == .stdout ? 0 : 1 }
}

/// One line of a process's output (without its newline), or a piece of a longer line.
///
/// Lines longer than ``LineSplitter/maximumLineLength`` (64 KiB) arrive as several pieces; every
/// piece but the last has `endsWithNewline == false`, as does a final line that had no newline
/// when the stream ended. Appending `bytes` plus a newline where `endsWithNewline` is set
/// reproduces the stream byte for byte.
public struct LogLine: Sendable, Hashable {
    public var stream: LogStream
    public var bytes: [UInt8]
    public var endsWithNewline: Bool

    public init(stream: LogStream, bytes: [UInt8], endsWithNewline: Bool) {
        self.stream = stream
        self.bytes = bytes
        self.endsWithNewline = endsWithNewline
    }

    /// The bytes decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
#endif
