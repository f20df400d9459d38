import Foundation
import Synchronization

/// One `nex node up` child process. Every node started is remembered in ``NodeProcess/all`` so the benchmark
/// can kill them all at the end, even after an error.
final class NodeProcess: Sendable {
    let process: Process
    let name: String
    private let output = Mutex<String>("")

    /// Every node process started in this run.
    static let all = Mutex<[NodeProcess]>([])

    /// The `nex` executable: `$NEX_BINARY`, else `nex` next to this program (both are built into `.build/release`).
    static func executable() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["NEX_BINARY"], !explicit.isEmpty { return explicit }
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let sibling = own.deletingLastPathComponent().appendingPathComponent("nex").path
        guard FileManager.default.isExecutableFile(atPath: sibling) else {
            throw BenchError("no nex executable at \(sibling): run `swift build -c release --product nex` first or set NEX_BINARY")
        }
        return sibling
    }

    private init(process: Process, name: String) {
        self.process = process
        self.name = name
    }

    var pid: Int32 { process.processIdentifier }
    var text: String { output.withLock { $0 } }

    /// `nex-bench --http-addr <addr>` gives every node `--http-addr <addr>` (`""`: no endpoint and no metrics); by
    /// default each node gets an endpoint of its own on a free port (`127.0.0.1:0`), as a fleet with one node per
    /// host has, so the figures include what metrics cost.
    static let httpArguments: [String] = {
        let arguments = CommandLine.arguments
        if let index = arguments.firstIndex(of: "--http-addr"), index + 1 < arguments.count {
            return ["--http-addr", arguments[index + 1]]
        }
        return ["--http-addr", "127.0.0.1:0"]
    }()

    /// Starts `nex node up -s <url> --node-name <name> --data-dir <dataDirectory> <extra…>` and waits until the
    /// node says it is ready; returns the node id.
    static func start(url: String, name: String, dataDirectory: URL, extra: [String] = [], timeout: Duration = .seconds(60)) async throws -> (NodeProcess, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["node", "up", "-s", url, "--node-name", name, "--data-dir", dataDirectory.path] + httpArguments + extra
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = dataDirectory.path
        environment["XDG_CONFIG_HOME"] = dataDirectory.appendingPathComponent("config").path
        environment["XDG_DATA_HOME"] = dataDirectory.appendingPathComponent("data").path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let node = NodeProcess(process: process, name: name)
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return }
            node.output.withLock { text in
                text += String(decoding: data, as: UTF8.self)
                if text.count > 200_000 { text = String(text.suffix(100_000)) }
            }
        }
        try process.run()
        all.withLock { $0.append(node) }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let id = node.readyID() { return (node, id) }
            guard process.isRunning else { throw BenchError("node \(name) exited: \(node.text.suffix(2000))") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw BenchError("node \(name) not ready within \(timeout): \(node.text.suffix(2000))")
    }

    /// The id in the node's "is ready: id N…" line, once it was printed.
    func readyID() -> String? {
        let text = self.text
        guard let range = text.range(of: "is ready: id ") else { return nil }
        let id = text[range.upperBound...].prefix(56)
        return id.count == 56 ? String(id) : nil
    }

    /// SIGTERM, then waits up to `timeout` for the exit (SIGKILL after that).
    func stop(timeout: Duration = .seconds(60)) async {
        if process.isRunning { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { kill(pid, SIGKILL) }
        NodeProcess.all.withLock { $0.removeAll { $0 === self } }
    }

    /// Kills every node still running (SIGKILL: the end of the run, or an error).
    static func killAll() {
        for node in all.withLock({ nodes in defer { nodes.removeAll() }; return nodes }) where node.process.isRunning {
            kill(node.pid, SIGKILL)
        }
    }
}

/// A benchmark failure with its explanation.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
