#if os(Linux)
import Foundation
import ProcessKit
import Synchronization

/// A `nats-server` child process started by `node up`: with JetStream in the data directory when nothing
/// is configured, or with the user's `--inats-config` file. It runs in its own process group (a Ctrl-C in
/// the terminal reaches only `nex`, which stops it after the node), and its URL comes from the ports file
/// the server writes.
final class LocalNatsServer: Sendable {
    /// The URL to connect to, e.g. `nats://127.0.0.1:4222`.
    let url: String
    /// The server's log file.
    let logFile: URL
    /// JetStream storage (zero-config mode only).
    let storeDirectory: URL?
    private let process: RunningProcess

    private init(url: String, logFile: URL, storeDirectory: URL?, process: RunningProcess) {
        self.url = url
        self.logFile = logFile
        self.storeDirectory = storeDirectory
        self.process = process
    }

    /// The well-known client port, used when it is free.
    static let standardPort = 4222

    /// Starts a JetStream server on 127.0.0.1 (port 4222 when free, else any free port) with its data in
    /// `dataDirectory`.
    static func startDefault(dataDirectory: URL) async throws(CLIError) -> LocalNatsServer {
        let store = dataDirectory.appendingPathComponent("jetstream")
        try makeDirectory(dataDirectory)
        try makeDirectory(store)
        let port = PortProbe.isFree(standardPort) ? standardPort : -1
        let logFile = dataDirectory.appendingPathComponent("nats-server.log")
        let arguments = [
            "--addr", "127.0.0.1", "--port", String(port), "--jetstream", "--store_dir", store.path,
            "--server_name", "nex-local", "--log", logFile.path,
        ]
        return try await launch(arguments: arguments, portsDirectory: dataDirectory, logFile: logFile, storeDirectory: store)
    }

    /// Starts `nats-server -c <configFile>`; its logs go where the file says (else to `dataDirectory`).
    static func start(configFile: String, dataDirectory: URL) async throws(CLIError) -> LocalNatsServer {
        try makeDirectory(dataDirectory)
        let logFile = dataDirectory.appendingPathComponent("nats-server.log")
        return try await launch(arguments: ["--config", configFile], portsDirectory: dataDirectory, logFile: logFile, storeDirectory: nil)
    }

    /// Stops the server (SIGTERM, then SIGKILL after `grace`) and waits until it has exited.
    func stop(grace: Duration = .seconds(10)) async {
        await process.stop(grace: grace)
    }

    // MARK: Launching

    private static func launch(arguments: [String], portsDirectory: URL, logFile: URL, storeDirectory: URL?) async throws(CLIError) -> LocalNatsServer {
        let executable = try NatsServerBinary.locate()
        var environment: [String: String] = [:]
        for name in ["PATH", "HOME", "TMPDIR"] {
            if let value = ProcessInfo.processInfo.environment[name] { environment[name] = value }
        }
        let spec = ProcessSpec(executablePath: executable, arguments: arguments + ["--ports_file_dir", portsDirectory.path], environment: environment)
        let process: RunningProcess
        do {
            process = try await RunningProcess.spawn(spec)
        } catch {
            throw CLIError("cannot start \(executable): \(error)", hint: "check the nats-server installation or pass --nats.servers")
        }
        let output = OutputTail()
        Task { for await line in process.output { output.append(line.text) } }

        let portsFile = portsDirectory.appendingPathComponent("\(URL(fileURLWithPath: executable).lastPathComponent)_\(process.pid).ports")
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let status = process.currentExitStatus {
                let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                let detail = CLIError.singleLine(String((log.isEmpty ? output.text : log).suffix(400)))
                throw CLIError("nats-server exited (\(status)) while starting", hint: detail.isEmpty ? "see \(logFile.path)" : detail)
            }
            if let url = readURL(portsFile) {
                return LocalNatsServer(url: url, logFile: logFile, storeDirectory: storeDirectory, process: process)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        await process.stop(grace: .seconds(2))
        throw CLIError("nats-server did not start listening within 15 s", hint: "see \(logFile.path)")
    }

    /// The client URL from a ports file: a loopback one if listed, else the first (with a wildcard host
    /// replaced by 127.0.0.1).
    private static func readURL(_ file: URL) -> String? {
        guard let data = try? Data(contentsOf: file),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let urls = object["nats"] as? [String], let first = urls.first
        else { return nil }
        if let loopback = urls.first(where: { $0.contains("://127.0.0.1:") || $0.contains("://localhost:") }) { return loopback }
        guard let port = first.split(separator: ":").last else { return first }
        if first.contains("://0.0.0.0:") || first.contains("://[::]:") { return "nats://127.0.0.1:\(port)" }
        return first
    }

    /// Owner-only (0700): the server's store under it holds the node's state.
    private static func makeDirectory(_ url: URL) throws(CLIError) {
        do {
            try PrivateFiles.makeDirectory(url)
        } catch {
            throw CLIError("cannot create the data directory \(url.path)", hint: "choose another one with --data-dir")
        }
    }
}

/// The last lines a child printed (for error messages).
private final class OutputTail: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { lines in
            lines.append(line)
            if lines.count > 20 { lines.removeFirst() }
        }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

#endif
