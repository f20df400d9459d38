import Foundation
import Synchronization

/// Unbuffered, line-atomic writes to stdout and stderr. Every line goes out at once (a pipe reader such as
/// a test or `tee` sees it immediately), and lines written from different threads never interleave.
enum Console {
    private static let lock = Mutex(())

    /// Writes `line` and a newline to stdout.
    static func out(_ line: String) {
        write(line + "\n", to: STDOUT_FILENO)
    }

    /// Writes `line` and a newline to stderr.
    static func err(_ line: String) {
        write(line + "\n", to: STDERR_FILENO)
    }

    /// Writes raw bytes to stdout or stderr.
    static func write(_ bytes: Data, toStandardError: Bool) {
        lock.withLock { _ in writeAll(Array(bytes), to: toStandardError ? STDERR_FILENO : STDOUT_FILENO) }
    }

    static func write(_ text: String, to descriptor: Int32) {
        lock.withLock { _ in writeAll(Array(text.utf8), to: descriptor) }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress, buffer.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
