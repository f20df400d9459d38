import Foundation
import Logging
import NATSKit
import NATSTestSupport
import NexClient
@testable import Nexlet
import NexNode
import NexNodeHTTP
import NexProtocol
import Minter
import ProcessKit
import Synchronization
import Testing

/// The SDK's runner embeds in a node as it is.

/// A real nats-server (with JetStream), a node with an embedded native nexlet, a client connection, and a
/// private directory for scripts, state and the artifact cache.
struct NativeHarness: Sendable {
    let server: NATSServer
    let node: NexNode
    let nexlet: NativeNexlet
    let runner: NexletRunner
    let connection: NatsConnection
    let directory: URL

    /// Test defaults: quick restarts and stops, state under the harness directory.
    static func options(directory: URL, _ tweak: (inout NativeNexletOptions) -> Void = { _ in }) -> NativeNexletOptions {
        var logger = Logger(label: "native-test")
        logger.logLevel = .warning
        var options = NativeNexletOptions(
            stateDirectory: directory.appendingPathComponent("state", isDirectory: true),
            stopGrace: .seconds(2), orphanGrace: .seconds(2),
            restartPolicy: RestartPolicy(initialDelay: .milliseconds(100), multiplier: 2, maximumDelay: .seconds(2), maximumRestarts: 3),
            logger: logger)
        tweak(&options)
        return options
    }

    static func start(
        server givenServer: NATSServer? = nil, directory givenDirectory: URL? = nil, nodeSeed: String? = nil,
        state: (any WorkloadStateStore)? = nil, nexlet: NativeNexlet? = nil, metrics: NodeMetricsRegistry? = nil,
        _ tweak: (inout NativeNexletOptions) -> Void = { _ in }
    ) async throws -> NativeHarness {
        let server: NATSServer
        if let givenServer { server = givenServer } else { server = try await NATSServer.start() }
        let directory = givenDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("native-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Sandboxed workloads run under uids of their own: let them leave journals and markers here (the state
        // directory inside stays private).
        chmod(directory.path, 0o1777)
        let runtime = try nexlet ?? NativeNexlet(options: options(directory: directory, tweak))
        var logger = Logger(label: "native-test-node")
        logger.logLevel = .error
        var nodeOptions = NodeOptions()
        nodeOptions.name = "native-node"
        nodeOptions.minter = FullAccessMinter(servers: [server.url])
        nodeOptions.logger = logger
        nodeOptions.nodeSeed = nodeSeed
        if let state { nodeOptions.state = state }
        if let metrics { nodeOptions.metricsFactory = metrics.factory }
        let runner = NexletRunner(runtime: runtime, options: NexletRunnerOptions(nexus: nodeOptions.nexus, connectTimeout: .seconds(2), logger: logger))
        nodeOptions.embeddedAgents = [runner]
        let nodeConnection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "native-node"))
        let node = try NexNode(connection: nodeConnection, options: nodeOptions)
        try await node.start()
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "native-client"))
        return NativeHarness(server: server, node: node, nexlet: runtime, runner: runner, connection: connection, directory: directory)
    }

    func client(_ namespace: String = "user") throws -> NexClient {
        try NexClient(connection: connection, namespace: namespace)
    }

    /// Shuts the node down (the nexlet stops its workloads) and removes the directory.
    func stop(keepDirectory: Bool = false) async {
        await node.shutdown()
        await connection.close()
        if !keepDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Writes an executable `/bin/sh` script and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        try Self.script(in: directory, name, body)
    }

    static func script(in directory: URL, _ name: String, _ body: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// The workload ids of the process records the nexlet keeps.
    var processRecords: [String] {
        ProcessRecordFile.fold(contentsOf: directory.appendingPathComponent("state/processes.jsonl")).live.keys.sorted()
    }
}

/// A workload definition for the native nexlet.
func nativeRequest(
    name: String = "", namespace: String = "user", lifecycle: WorkloadLifecycle = .service, runRequest: String
) -> StartWorkloadRequest {
    StartWorkloadRequest(
        name: name, namespace: namespace, description: "native test workload", workloadType: "native",
        workloadLifecycle: lifecycle, runRequest: runRequest)
}

/// A `run_request` JSON document.
func runRequest(uri: String, argv: [String]? = nil, environment: [String: String]? = nil, _ extra: [String: Any] = [:]) -> String {
    var object = extra
    object["uri"] = uri
    if let argv { object["argv"] = argv }
    if let environment { object["environment"] = environment }
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}

// MARK: Feeds

/// Records every event of a feed as it arrives.
final class EventLog: Sendable {
    struct Entry: Sendable {
        var message: NexEventMessage
        var received: ContinuousClock.Instant
    }

    private let entries = Recorder<Entry>()
    private let task: Task<Void, Never>
    private let feed: NexFeed<NexEventMessage>

    init(_ client: NexClient, from: String? = nil) async throws {
        let feed = try await client.events(from: from)
        self.feed = feed
        let entries = self.entries
        task = Task {
            for await message in feed {
                entries.append(Entry(message: message, received: .now))
            }
        }
    }

    deinit {
        feed.cancel()
        task.cancel()
    }

    var all: [Entry] { entries.all }

    func started(_ id: String) -> [Entry] {
        all.filter { (try? $0.message.decode(WorkloadStartedEvent.self))??.id == id }
    }

    func stopped(_ id: String) -> [WorkloadStoppedEvent] {
        all.compactMap { try? $0.message.decode(WorkloadStoppedEvent.self) }.filter { $0.id == id }
    }

    /// The first `WORKLOADSTOPPED` of `id`.
    func waitForStopped(_ id: String, timeout: Duration = .seconds(20)) async throws -> WorkloadStoppedEvent {
        try await eventually("WORKLOADSTOPPED of \(id)", timeout: timeout) { !self.stopped(id).isEmpty }
        return try #require(stopped(id).first)
    }
}

/// Records every log chunk of a namespace.
final class LogCapture: Sendable {
    private let chunks = Recorder<WorkloadLogChunk>()
    private let task: Task<Void, Never>
    private let feed: NexFeed<WorkloadLogChunk>

    init(_ client: NexClient, namespace: String? = nil) async throws {
        let feed = try await client.workloadLogs(namespace: namespace)
        self.feed = feed
        let chunks = self.chunks
        task = Task {
            for await chunk in feed {
                chunks.append(chunk)
            }
        }
    }

    deinit {
        feed.cancel()
        task.cancel()
    }

    func chunks(_ id: String, _ stream: NexProtocol.LogStream? = nil) -> [WorkloadLogChunk] {
        chunks.all.filter { $0.workloadID == id && (stream == nil || $0.stream == stream) }
    }

    func text(_ id: String, _ stream: NexProtocol.LogStream = .stdout) -> String {
        chunks(id, stream).map(\.text).joined()
    }

    /// Waits until the output of `id` on `stream` contains `needle`.
    @discardableResult
    func waitFor(_ needle: String, in id: String, _ stream: NexProtocol.LogStream = .stdout, timeout: Duration = .seconds(20)) async throws -> String {
        try await eventually("\"\(needle)\" in the \(stream.rawValue) of \(id)", timeout: timeout) {
            self.text(id, stream).contains(needle)
        }
        return text(id, stream)
    }
}

// MARK: Processes

/// True while `pid` exists and is not a zombie.
func processIsAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
    return state != "Z" && state != "X"
}

/// Pids of live processes whose command line contains `marker`.
func processes(containing marker: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains(marker) && processIsAlive(pid)
    }
}
