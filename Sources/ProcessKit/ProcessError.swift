#if os(Linux)
import Glibc

/// Why a process could not be started (or a spec was rejected before trying).
public enum ProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No file exists at the executable path.
    case executableNotFound(path: String)
    /// The executable path names a directory.
    case executableIsDirectory(path: String)
    /// The executable path names something other than a regular file (device, socket, FIFO…).
    case executableNotRegularFile(path: String)
    /// The file exists but this process may not execute it.
    case executableNotExecutable(path: String)
    /// `stat` on the executable failed for another reason.
    case executableInaccessible(path: String, errno: Int32)
    /// The working directory does not exist or is not a directory.
    case invalidWorkingDirectory(path: String)
    /// An argument, environment name or value cannot be passed to `execve` (e.g. contains NUL).
    case invalidArgument(String)
    /// A system call needed to prepare the spawn failed.
    case systemCallFailed(call: String, errno: Int32)
    /// `posix_spawn` itself failed (e.g. `ENOEXEC` for a file that is not a valid executable).
    case spawnFailed(path: String, errno: Int32)
    // issue 12: sandbox
    /// The executable's content failed its ``ExecutableVerification``; nothing was started.
    case executableRejected(path: String, reason: String)
    /// A step of preparing a sandboxed child failed (e.g. `setuid`, `chdir` into its directory).
    case sandboxFailed(path: String, step: String, errno: Int32)

    public var description: String {
        switch self {
        case .executableNotFound(let path):
            "executable not found: \(path)"
        case .executableIsDirectory(let path):
            "executable is a directory: \(path)"
        case .executableNotRegularFile(let path):
            "executable is not a regular file: \(path)"
        case .executableNotExecutable(let path):
            "executable is not executable (permission denied): \(path)"
        case .executableInaccessible(let path, let code):
            "cannot access executable \(path): \(errnoText(code))"
        case .invalidWorkingDirectory(let path):
            "working directory does not exist or is not a directory: \(path)"
        case .invalidArgument(let message):
            "invalid process argument: \(message)"
        case .systemCallFailed(let call, let code):
            "\(call) failed: \(errnoText(code))"
        case .spawnFailed(let path, let code):
            "failed to start \(path): \(errnoText(code))"
        case .executableRejected(let path, let reason):
            "refusing to run \(path): \(reason)"
        case .sandboxFailed(let path, let step, let code):
            "cannot start \(path) in its sandbox: \(step) failed: \(errnoText(code))"
        }
    }
}

/// `strerror` text plus the symbolic number, e.g. `No such file or directory (errno 2)`.
func errnoText(_ code: Int32) -> String {
    "\(String(cString: strerror(code))) (errno \(code))"
}
#endif
