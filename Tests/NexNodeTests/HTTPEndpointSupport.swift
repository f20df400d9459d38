import Foundation
import Logging
import Minter
import NATSKit
import NATSTestSupport
import NexletTestSupport
import NexNode
import NexNodeHTTP
import NexProtocol
import ServiceLifecycle
import Synchronization

/// A real nats-server, a node with an in-memory nexlet and its metrics registry, and the node's HTTP endpoint on
/// a free port (the endpoint runs as a task; teardown cancels it).
struct HTTPNode: Sendable {
    let server: NATSServer
    let node: NexNode
    let nexlet: InMemoryNexlet
    let metrics: NodeMetricsRegistry
    let port: Int
    let client: NatsConnection
    let state: (any WorkloadStateStore)?

    static func start(_ teardown: Teardown, kvState: Bool = true, server given: NATSServer? = nil, logger: Logger? = nil,
                      configure: @Sendable (inout NodeOptions) -> Void = { _ in }) async throws -> HTTPNode {
        let server: NATSServer
        if let given { server = given } else { server = try await NATSServer.start() }
        teardown.add { await server.stop() }
        let seed = try KeyPair.generate(.server).seed ?? ""
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "node", reconnectWait: .milliseconds(50)))
        teardown.add { await connection.close() }
        let metrics = NodeMetricsRegistry()
        let nexlet = InMemoryNexlet()
        var options = NodeOptions()
        options.nodeSeed = seed
        options.minter = FullAccessMinter(servers: [server.url])
        options.logger.logLevel = .error
        options.metricsFactory = metrics.factory
        var state: (any WorkloadStateStore)?
        if kvState {
            let store = try await KVWorkloadState.open(connection: connection, nodeID: try KeyPair(seed: seed).publicKey)
            options.state = store
            state = store
        }
        options.embed(nexlet)
        configure(&options)
        let node = try NexNode(connection: connection, options: options)
        teardown.add { await node.shutdown() }
        try await node.start()
        var httpLogger = logger ?? Logger(label: "http-test")
        if logger == nil { httpLogger.logLevel = .error }
        let http = NodeHTTPService(node: node, address: try NodeHTTPAddress(parsing: "127.0.0.1:0"), metrics: metrics, logger: httpLogger)
        let serving = Task { try await http.run() }
        teardown.add {
            serving.cancel()
            _ = try? await serving.value
        }
        guard let port = await http.waitUntilListening() else { throw HTTPGetError(description: "the endpoint did not listen") }
        let client = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "client", reconnectWait: .milliseconds(50)))
        teardown.add { await client.close() }
        return HTTPNode(server: server, node: node, nexlet: nexlet, metrics: metrics, port: Int(port), client: client, state: state)
    }

    func get(_ path: String) async throws -> HTTPReply {
        try await httpGet(port: port, path: path)
    }

    /// `GET /readyz`, decoded.
    func readiness() async throws -> (status: Int, ready: Bool, notReady: [String], checks: [String: [String: Any]]) {
        let reply = try await get("/readyz")
        let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
        return (reply.status, object["ready"] as? Bool ?? false, object["not_ready"] as? [String] ?? [],
                object["checks"] as? [String: [String: Any]] ?? [:])
    }

    /// `GET /metrics`, parsed.
    func scrape() async throws -> Exposition {
        let reply = try await get("/metrics")
        return Exposition(reply.body)
    }
}

/// A Prometheus text exposition as series → value.
struct Exposition: Sendable, CustomStringConvertible {
    struct Series: Sendable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let text: String
    let series: [Series]

    init(_ text: String) {
        self.text = text
        var series: [Series] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let key = line[..<space]
            var labels: [String: String] = [:]
            var name = String(key)
            if let open = key.firstIndex(of: "{"), key.hasSuffix("}") {
                name = String(key[..<open])
                let inner = key[key.index(after: open)..<key.index(before: key.endIndex)]
                // Label values here never hold `",` (namespaces, types, reasons).
                for pair in inner.components(separatedBy: "\",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    guard parts.count == 2 else { continue }
                    labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            series.append(Series(name: name, labels: labels, value: value))
        }
        self.series = series
    }

    /// The value of the series `name` whose labels include `labels` (nil when there is none).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        series.first { series in series.name == name && labels.allSatisfy { key, value in series.labels[key] == value } }?.value
    }

    /// Like ``value(_:_:)`` but 0 for a missing series.
    func count(_ name: String, _ labels: [String: String] = [:]) -> Double {
        value(name, labels) ?? 0
    }

    var description: String { text }
}

/// An embedded runner that fails its first `failures` runs, then runs `inner` (an agent restart, as the node sees
/// it).
struct FailingFirstRunner: EmbeddedAgentRunner {
    let inner: any EmbeddedAgentRunner
    let failures: Int
    let attempts = Attempts()

    final class Attempts: Sendable {
        private let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
    }

    struct Planned: Error {}

    var name: String { inner.name }

    func run(agentID: String, nodeID: String, registration: NatsConnectionData) async throws {
        if attempts.next() <= failures { throw Planned() }
        try await inner.run(agentID: agentID, nodeID: nodeID, registration: registration)
    }

    func stop() async { await inner.stop() }
}
