#if os(Linux)
import Glibc

/// The fields of `/proc/<pid>/stat` this layer needs.
struct ProcStat: Sendable, Hashable {
    var pid: pid_t
    /// Single-letter state: `R`, `S`, `D`, `Z` (zombie), `T`, `X`…
    var state: UInt8
    var parent: pid_t
    var processGroup: pid_t
    /// Field 22: time the process started after boot, in clock ticks. Together with the pid it
    /// names one process for the lifetime of the machine (pids are reused, this pair is not).
    var startTime: UInt64

    var isZombie: Bool { state == UInt8(ascii: "Z") || state == UInt8(ascii: "X") }

    /// Reads and parses `/proc/<pid>/stat`; `nil` when the process does not exist (any more).
    static func read(pid: pid_t) -> ProcStat? {
        guard pid > 0, let bytes = readSmallFile("/proc/\(pid)/stat") else {
            return nil
        }
        return parse(bytes, pid: pid)
    }

    /// Parses the text of a stat file. The command name (field 2) may contain spaces and
    /// parentheses, so parsing starts after the last `)`.
    static func parse(_ bytes: [UInt8], pid: pid_t) -> ProcStat? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else {
            return nil
        }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
        // fields[0] is field 3 (state); field n is fields[n - 3].
        guard fields.count >= 20, let state = fields[0].first,
              let parent = Int32(String(decoding: fields[1], as: UTF8.self)),
              let group = Int32(String(decoding: fields[2], as: UTF8.self)),
              let start = UInt64(String(decoding: fields[19], as: UTF8.self))
        else {
            return nil
        }
        return ProcStat(pid: pid, state: state, parent: parent, processGroup: group, startTime: start)
    }

    /// Reads a file of at most a few KiB in one go (procfs files must be read whole).
    static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return nil
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 {
                return result
            }
            result.append(contentsOf: chunk[0..<count])
        }
    }
}
#endif
