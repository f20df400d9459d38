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
        if let directory = workingDirectory, directory.isEmpty || directory.utf8.contains(0) {
            throw .invalidArgument("working directory is empty or contains a NUL byte")
        }
    }
}
#endif
