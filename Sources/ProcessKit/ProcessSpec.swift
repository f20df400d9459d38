#if os(Linux)
/// Everything needed to start one workload process.
///
/// The environment is exactly `environment`: nothing of the caller's environment is inherited
/// (the nexlet adds `PATH` and the `NEX_WORKLOAD_*` variables itself).
public struct ProcessSpec: Sendable, Hashable {
    /// Path of the executable (the artifact). A relative path is resolved against the current
    /// directory of this process at spawn time, not against `workingDirectory`.
    public var executablePath: String
    /// Arguments after `argv[0]`. `argv[0]` is always `executablePath`.
    public var arguments: [String]
    /// The complete environment of the child.
    public var environment: [String: String]
    /// Working directory of the child; `nil` keeps this process's current directory.
    public var workingDirectory: String?
    /// Bytes written to the child's stdin, after which stdin is closed. `nil` connects stdin to
    /// `/dev/null`.
    public var standardInput: [UInt8]?

    public init(
        executablePath: String,
        arguments: [String] = [],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        standardInput: [UInt8]? = nil
    ) {
        self.executablePath = executablePath
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.standardInput = standardInput
    }

    // issue 12: sandbox
    /// Run the process under these ids (needs root): see ``ProcessSandbox``. `nil` runs it as this process's user,
    /// through `posix_spawn`.
    public var sandbox: ProcessSandbox?
    /// Checks the executable's bytes at every spawn (see ``ExecutableVerification``); `nil` runs the path as it is.
    public var verification: ExecutableVerification?
    // issue 14: limits
    /// `cgroup.procs` files of the cgroups the process joins between fork and exec (one per cgroup v1 hierarchy,
    /// or the one v2 file), so it never runs a single instruction of its own outside them. Needs root; a spec
    /// with cgroups goes through fork/exec, not `posix_spawn`. Opened at every spawn (restarts join again).
    public var cgroupProcsFiles: [String] = []

    /// The full argument vector: the executable path followed by `arguments`.
    public var argv: [String] { [executablePath] + arguments }

    /// `NAME=value` strings in a stable (sorted) order.
    public var environmentStrings: [String] {
        environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Checks that every string can be handed to `execve`.
    func validateStrings() throws(ProcessError) {
        if executablePath.isEmpty {
            throw .invalidArgument("executable path is empty")
        }
        if executablePath.utf8.contains(0) {
            throw .invalidArgument("executable path contains a NUL byte")
        }
        for (index, argument) in arguments.enumerated() where argument.utf8.contains(0) {
            throw .invalidArgument("argument \(index + 1) contains a NUL byte")
        }
        for (name, value) in environment {
            if name.isEmpty {
                throw .invalidArgument("environment variable with an empty name")
            }
            if name.utf8.contains(UInt8(ascii: "=")) {
                throw .invalidArgument("environment variable name '\(name)' contains '='")
            }
            if name.utf8.contains(0) || value.utf8.contains(0) {
                throw .invalidArgument("environment variable '\(name)' contains a NUL byte")
            }
        }
        if let sandbox, sandbox.uid == 0 || sandbox.gid == 0 {
            throw .invalidArgument("a sandboxed process may not run as uid or gid 0")
        }
        if let directory = workingDirectory, directory.isEmpty || directory.utf8.contains(0) {
            throw .invalidArgument("working directory is empty or contains a NUL byte")
        }
    }
}

// issue 12: sandbox
/// A check of an executable's content, made at every spawn on a read-only descriptor of the file that is then
/// executed through that very descriptor (`/proc/self/fd/3`): replacing or rewriting the file by path after the
/// check changes nothing that runs. `verify` gets the descriptor (read from offset 0 with `pread`) and returns
/// nil when the content is acceptable, else the reason it is not. Two verifications are equal when their
/// `label` is (e.g. the expected digest).
public struct ExecutableVerification: Sendable, Hashable {
    public let label: String
    public let verify: @Sendable (Int32) -> String?

    public init(label: String, verify: @escaping @Sendable (Int32) -> String?) {
        self.label = label
        self.verify = verify
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.label == rhs.label }
    public func hash(into hasher: inout Hasher) { hasher.combine(label) }
}
#endif
