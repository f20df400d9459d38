import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and directories that may hold secrets (state exports, logs, seeds, the node's data directory) are
/// created owner-only from the start: files 0600, directories 0700, passed to `open`/`mkdir` themselves so
/// that no umask and no moment between creating and `chmod` leaves them readable by others.
enum PrivateFiles {
    static let fileMode: mode_t = 0o600
    static let directoryMode: mode_t = 0o700

    /// Creates `url` and any missing parents as 0700 directories. A directory that exists already is
    /// tightened to 0700 when this user may (parents that exist are left as they are).
    static func makeDirectory(_ url: URL) throws {
        let directory = url.standardizedFileURL
        try createMissing(directory)
        _ = chmod(directory.path, directoryMode)
    }

    private static func createMissing(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw PrivateFileError(path: url.path, reason: "exists and is not a directory") }
            return
        }
        let parent = url.deletingLastPathComponent()
        if parent.path != url.path { try createMissing(parent) }
        guard mkdir(url.path, directoryMode) == 0 || errno == EEXIST else { throw PrivateFileError(path: url.path, errno: errno) }
    }

    /// Opens `path` for writing, created 0600 (an existing file is truncated and tightened to 0600).
    static func create(_ path: String) throws -> FileHandle {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw PrivateFileError(path: path, errno: errno) }
        guard fchmod(descriptor, fileMode) == 0 else {
            let error = PrivateFileError(path: path, errno: errno)
            close(descriptor)
            throw error
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Writes `text` to `path` atomically: a new 0600 file next to it, then renamed over it. Without
    /// `replacing`, an existing `path` is an error (`EEXIST`) and the file is created in place.
    static func write(_ text: String, to path: String, replacing: Bool = true) throws {
        let target = URL(fileURLWithPath: path)
        let temporary = replacing
            ? target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.prefix(8))").path
            : path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw PrivateFileError(path: path, errno: errno) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            unlink(temporary)
            throw PrivateFileError(path: path, reason: error.localizedDescription)
        }
        guard replacing else { return }
        guard rename(temporary, path) == 0 else {
            let error = PrivateFileError(path: path, errno: errno)
            unlink(temporary)
            throw error
        }
    }
}

struct PrivateFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, errno code: Int32) {
        self.init(path: path, reason: String(cString: strerror(code)))
    }

    var description: String { "\(path): \(reason)" }
}
