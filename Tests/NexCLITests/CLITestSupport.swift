import Foundation
import NATSTestSupport
import Synchronization
import Testing

/// The built `nex` executable: `$NEX_BINARY`, else next to the test bundle (the build products directory),
/// else `<package root>/.build/debug/nex`.
enum NexBinary {
    static let path: String = {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["NEX_BINARY"], !explicit.isEmpty { return explicit }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("nex"))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("nex"))
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/nex"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path ?? candidates.last?.path ?? "nex"
    }()
}

/// A private place to run `nex` as a user would: its own HOME, XDG config and data directories and working
/// directory (all inside one temporary directory, removed at the end), and a minimal environment.
final class CLISandbox: Sendable {
    let root: URL
    let home: URL
    let configHome: URL
    let dataHome: URL
    let workDirectory: URL
    /// Extra environment variables for every run.
    let extraEnvironment: Mutex<[String: String]> = Mutex([:])

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nex-cli-\(UUID().uuidString.prefix(12))")
        home = root.appendingPathComponent("home")
        configHome = root.appendingPathComponent("config")
        dataHome = root.appendingPathComponent("data")
        workDirectory = root.appendingPathComponent("work")
        for directory in [home, configHome, dataHome, workDirectory] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    var environment: [String: String] {
        var environment = [
            "HOME": home.path, "XDG_CONFIG_HOME": configHome.path, "XDG_DATA_HOME": dataHome.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin",
        ]
        if let server = ProcessInfo.processInfo.environment["NATS_SERVER"] { environment["NATS_SERVER"] = server }
        environment.merge(extraEnvironment.withLock { $0 }) { _, new in new }
        return environment
    }

    /// Writes `text` to `name` (relative to the working directory unless absolute) and returns its URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let url = name.hasPrefix("/") ? URL(fileURLWithPath: name) : workDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Runs `nex arguments` to completion (at most `timeout`), with `umask` set first when given.
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:], timeout: Duration = .seconds(60),
             umask: String? = nil) async throws -> CLIResult {
        let process = try CLIProcess.start(arguments, sandbox: self, stdin: stdin, environment: extra, umask: umask)
        guard let status = await process.waitForExit(timeout: timeout) else {
            process.kill()
            throw CLITestFailure("nex \(arguments.joined(separator: " ")) did not finish within \(timeout); stderr: \(process.stderr)")
        }
        return CLIResult(arguments: arguments, status: status, stdout: process.stdout, stderr: process.stderr)
    }

    /// Starts `nex arguments` in the background (for `node up`, `--follow`).
    func start(_ arguments: [String], environment extra: [String: String] = [:], umask: String? = nil) throws -> CLIProcess {
        try CLIProcess.start(arguments, sandbox: self, stdin: nil, environment: extra, umask: umask)
    }
}

/// The outcome of one `nex` run.
struct CLIResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    /// The non-empty lines of stderr.
    var stderrLines: [String] { stderr.split(whereSeparator: \.isNewline).map(String.init) }

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }

    var description: String {
        "nex \(arguments.joined(separator: " ")) → \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// A running `nex` process with its output collected as it comes.
final class CLIProcess: Sendable {
    /// Shared with the pipe readers and the termination handler, which must not keep the `CLIProcess` alive:
    /// dropping it (a test that ends or throws) kills the process, so no test leaves a node running.
    final class Shared: Sendable {
        let output = Mutex<(stdout: String, stderr: String, closedStreams: Int)>(("", "", 0))
        let exit = Mutex<Int32?>(nil)
    }

    private let process: Process
    private let shared = Shared()
    let arguments: [String]

    private init(process: Process, arguments: [String]) {
        self.process = process
        self.arguments = arguments
    }

    /// With `umask`, `/bin/sh` sets it and execs `nex` (same pid), since a process cannot set its child's.
    static func start(_ arguments: [String], sandbox: CLISandbox, stdin: String?, environment extra: [String: String], umask: String? = nil) throws -> CLIProcess {
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", NexBinary.path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: NexBinary.path)
            process.arguments = arguments
        }
        process.currentDirectoryURL = sandbox.workDirectory
        process.environment = sandbox.environment.merging(extra) { _, new in new }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let stdinPipe = Pipe()
        process.standardInput = stdinPipe
        let running = CLIProcess(process: process, arguments: arguments)
        let shared = running.shared
        process.terminationHandler = { finished in
            shared.exit.withLock { $0 = finished.terminationStatus }
        }
        try process.run()
        let input = Data((stdin ?? "").utf8)
        DispatchQueue.global().async {
            if !input.isEmpty { stdinPipe.fileHandleForWriting.write(input) }
            try? stdinPipe.fileHandleForWriting.close()
        }
        pump(stdoutPipe.fileHandleForReading, stderr: false, into: shared)
        pump(stderrPipe.fileHandleForReading, stderr: true, into: shared)
        return running
    }

    private static func pump(_ handle: FileHandle, stderr: Bool, into shared: Shared) {
        Thread.detachNewThread {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty {
                    shared.output.withLock { $0.closedStreams += 1 }
                    return
                }
                let text = String(decoding: chunk, as: UTF8.self)
                shared.output.withLock { output in
                    if stderr { output.stderr += text } else { output.stdout += text }
                }
            }
        }
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { shared.output.withLock { $0.stdout } }
    var stderr: String { shared.output.withLock { $0.stderr } }
    var exitStatus: Int32? { shared.exit.withLock { $0 } }

    /// Waits for the exit and for both pipes to be read to their end; nil after `timeout`.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus, shared.output.withLock({ $0.closedStreams == 2 }) { return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Waits until stdout (or stderr, with `stream: .stderr`) contains a line matching `pattern`; returns
    /// the first capture group (or the whole match).
    @discardableResult
    func waitForOutput(_ pattern: String, inStderr: Bool = false, timeout: Duration = .seconds(30)) async throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = inStderr ? stderr : stdout
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) {
                let range = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
                if let swiftRange = Range(range, in: text) { return String(text[swiftRange]) }
            }
            if exitStatus != nil {
                throw CLITestFailure("nex exited before printing /\(pattern)/\n--- stdout\n\(stdout)--- stderr\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CLITestFailure("/\(pattern)/ not printed within \(timeout)\n--- stdout\n\(stdout)--- stderr\n\(stderr)")
    }

    func signal(_ number: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, number) }
    }

    func kill() {
        signal(SIGKILL)
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}

/// True while a process with `pid` exists (zombies count until reaped).
func processExists(_ pid: Int32) -> Bool {
    Foundation.kill(pid, 0) == 0 || errno != ESRCH
}

/// A deadline or expectation that failed in the CLI test harness.
struct CLITestFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
