import Foundation
import Glibc

// issue 12: sandbox
/// Files only the nexlet's user may read: created with mode 0600 by `open(2)` itself (never chmod'ed afterwards,
/// so there is no moment in which another user could open them).
enum PrivateFile {
    /// Creates `url` with `contents`; fails if it exists.
    static func create(_ url: URL, contents: Data) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        try writeAll(contents, to: fd)
    }

    /// Replaces `url` atomically with `contents` (a 0600 temporary file next to it, then `rename`).
    static func replace(_ url: URL, contents: Data) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        do {
            try create(temporary, contents: contents)
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// Creates a directory (and its missing parents) with `mode` given to `mkdir(2)`, and makes an existing one
    /// have exactly `mode` (a directory created by an older version may be more open).
    static func directory(_ url: URL, mode: mode_t) throws {
        let parent = url.deletingLastPathComponent()
        if parent.path != url.path, access(parent.path, F_OK) != 0 {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        }
        if mkdir(url.path, mode) != 0, errno != EEXIST {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var info = stat()
        guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw POSIXError(.ENOTDIR)
        }
        if info.st_mode & 0o7777 != mode, chmod(url.path, mode) != 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    static func writeAll(_ data: Data, to fd: Int32) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += written
            }
        }
    }
}
