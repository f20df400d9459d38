#if os(Linux)
import Glibc

/// The checks made before `posix_spawn`, so that the common mistakes get a precise error
/// instead of a child that dies with exit code 127.
enum ExecutableCheck {
    /// Returns the absolute path to execute, or throws why `path` cannot be executed.
    static func resolve(_ path: String) throws(ProcessError) -> String {
        let absolute = try absolutePath(path)
        var info = stat()
        if stat(absolute, &info) != 0 {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw .executableNotFound(path: path)
            case EACCES: throw .executableNotExecutable(path: path)
            default: throw .executableInaccessible(path: path, errno: code)
            }
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            throw .executableIsDirectory(path: path)
        }
        if type != S_IFREG {
            throw .executableNotRegularFile(path: path)
        }
        if access(absolute, X_OK) != 0 {
            throw .executableNotExecutable(path: path)
        }
        return absolute
    }

    /// Throws unless `path` is an existing directory.
    static func checkDirectory(_ path: String) throws(ProcessError) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .invalidWorkingDirectory(path: path)
        }
    }

    private static func absolutePath(_ path: String) throws(ProcessError) -> String {
        if path.hasPrefix("/") {
            return path
        }
        guard let cwd = getcwd(nil, 0) else {
            throw .systemCallFailed(call: "getcwd", errno: errno)
        }
        defer { free(cwd) }
        let base = String(cString: cwd)
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }
}
#endif
