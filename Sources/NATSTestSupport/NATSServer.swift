import Foundation
import Synchronization

/// Errors from starting or stopping a test server.
public struct NATSServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What the test server should look like.
public struct NATSServerOptions: Sendable {
    public var jetstream: Bool
    /// Fixed client port; 0 picks a free one.
    public var port: Int
    /// A server name (needed in clusters).
    public var serverName: String?
    /// Extra configuration text appended verbatim (auth blocks, operator mode, cluster, …).
    public var extraConfig: String
    /// Use this directory for JetStream and logs instead of a fresh temporary one (for restarts).
    public var directory: URL?

    public init(jetstream: Bool = true, port: Int = 0, serverName: String? = nil, extraConfig: String = "", directory: URL? = nil) {
        self.jetstream = jetstream
        self.port = port
        self.serverName = serverName
        self.extraConfig = extraConfig
        self.directory = directory
    }
}

/// A real `nats-server` child process on a loopback port, with JetStream in a temporary directory.
/// `stop()` (or deinit) terminates it; `restart()` brings it back on the same port with the same data.
public final class NATSServer: Sendable {
    public let options: NATSServerOptions
    public let directory: URL
    private let ownsDirectory: Bool
    private let state = Mutex<(process: Process?, port: Int, clusterPort: Int?)>((nil, 0, nil))

    /// The client URL, e.g. `nats://127.0.0.1:42641`.
    public var url: String { "nats://127.0.0.1:\(port)" }
    public var port: Int { state.withLock { $0.port } }
    /// The cluster (route) port, when the configuration has a cluster block.
    public var clusterPort: Int? { state.withLock { $0.clusterPort } }
    public var logFile: URL { directory.appendingPathComponent("server.log") }
    public var pid: Int32? { state.withLock { $0.process?.processIdentifier } }

    private init(options: NATSServerOptions, directory: URL, ownsDirectory: Bool) {
        self.options = options
        self.directory = directory
        self.ownsDirectory = ownsDirectory
    }

    /// Starts a server and waits (up to 30 s, for a loaded machine) until it listens.
    public static func start(_ options: NATSServerOptions = NATSServerOptions()) async throws -> NATSServer {
        let directory: URL
        let owns: Bool
        if let given = options.directory {
            directory = given
            owns = false
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("nats-test-\(UUID().uuidString)")
            owns = true
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = NATSServer(options: options, directory: directory, ownsDirectory: owns)
        try await server.launch(port: options.port)
        return server
    }

    deinit {
        terminate()
        if ownsDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit.
    public func stop() async {
        guard let process = state.withLock({ $0.process }) else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        state.withLock { $0.process = nil }
    }

    /// Kills the server with SIGKILL (no clean shutdown) and waits for it to exit.
    public func kill9() {
        guard let process = state.withLock({ $0.process }) else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        state.withLock { $0.process = nil }
    }

    /// Starts a stopped server again on the same port(s) with the same data directory.
    public func relaunch() async throws {
        try await launch(port: port)
    }

    /// Starts the server again on the same port(s) with the same data directory.
    public func restart() async throws {
        await stop()
        try await launch(port: port)
    }

    private func terminate() {
        guard let process = state.withLock({ $0.process }) else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private func launch(port: Int) async throws {
        let portsDir = directory.appendingPathComponent("ports-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: portsDir, withIntermediateDirectories: true)
        let config = renderConfig(port: port, portsDir: portsDir)
        let configFile = directory.appendingPathComponent("server.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = ["-c", configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        state.withLock { $0.process = process }

        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                throw NATSServerError("nats-server exited with status \(process.terminationStatus): \(log.suffix(2000))")
            }
            if let ports = Self.readPorts(portsDir) {
                state.withLock {
                    $0.port = ports.client
                    $0.clusterPort = ports.cluster
                }
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        terminate()
        throw NATSServerError("nats-server did not write its ports file within 30 s")
    }

    private func renderConfig(port: Int, portsDir: URL) -> String {
        var lines = [
            "host: 127.0.0.1",
            "port: \(port == 0 ? -1 : port)",
            "ports_file_dir: \"\(portsDir.path)\"",
            "log_file: \"\(logFile.path)\"",
        ]
        if let name = options.serverName { lines.append("server_name: \(name)") }
        if options.jetstream {
            lines.append("jetstream { store_dir: \"\(directory.appendingPathComponent("js").path)\" }")
        }
        lines.append(options.extraConfig)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func readPorts(_ dir: URL) -> (client: Int, cluster: Int?)? {
        guard let file = try? FileManager.default.contentsOfDirectory(atPath: dir.path).first(where: { $0.hasSuffix(".ports") }),
              let data = try? Data(contentsOf: dir.appendingPathComponent(file)),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let urls = object["nats"] as? [String],
              let client = urls.first.flatMap(portOf)
        else { return nil }
        let cluster = (object["cluster"] as? [String])?.first.flatMap(portOf)
        return (client, cluster)
    }

    private static func portOf(_ url: String) -> Int? {
        url.split(separator: ":").last.flatMap { Int($0) }
    }

    /// The nats-server binary: `$NATS_SERVER`, else the first one on PATH, /usr/sbin or /usr/local/bin.
    public static func executable() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["NATS_SERVER"], FileManager.default.isExecutableFile(atPath: explicit) {
            return explicit
        }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in path + ["/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/usr/bin"] {
            let candidate = directory + "/nats-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NATSServerError("nats-server not found (install it: apt-get install -y nats-server)")
    }
}
