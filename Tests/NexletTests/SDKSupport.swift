import Foundation
import Logging
import Minter
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Synchronization
import Testing

// MARK: Small helpers

/// A thread-safe list of things seen by NATS handlers.
final class Recorder<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])
    func append(_ item: Element) { items.withLock { $0.append(item) } }
    var all: [Element] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}

enum TestError: Error, CustomStringConvertible {
    case unexpected(String)
    var description: String {
        switch self { case .unexpected(let text): return text }
    }
}

/// A quiet logger for runners under test.
func testLogger() -> Logger {
    var logger = Logger(label: "nexlet-test")
    logger.logLevel = .warning
    return logger
}

func testOptions(heartbeat: Duration = .seconds(10), nexus: String = "testnexus", events: NexletEventSink = .agentConnection) -> NexletRunnerOptions {
    NexletRunnerOptions(nexus: nexus, heartbeatInterval: heartbeat, connectTimeout: .seconds(2), events: events, logger: testLogger())
}

func connect(_ server: NATSServer, name: String = "test", auth: NatsAuth = .none) async throws -> NatsConnection {
    try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: name, auth: auth, reconnectWait: .milliseconds(50)))
}

/// The next `count` messages of a subscription, failing after `timeout`.
func collect(_ subscription: NatsSubscription, count: Int, timeout: Duration = .seconds(5)) async throws -> [NatsMessage] {
    try await withDeadline(timeout, "receiving \(count) messages on \(subscription.subject)") {
        var received: [NatsMessage] = []
        for await message in subscription {
            received.append(message)
            if received.count == count { break }
        }
        return received
    }
}

func json(_ message: NatsMessage) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: message.payload) as? [String: Any])
}

func encode<T: Encodable>(_ value: T) throws -> Data { try GoJSON.encode(value) }

/// A fresh node id (a server nkey), as real nodes use.
func newNodeID() throws -> String { try KeyPair.generate(.server).publicKey }

/// A start request of the shape the Go runner test uses.
func startRequest(
    name: String = "test", namespace: String = "default", lifecycle: WorkloadLifecycle = .service,
    credentials: NatsConnectionData = NatsConnectionData()
) -> AgentStartWorkloadRequest {
    AgentStartWorkloadRequest(
        request: StartWorkloadRequest(
            name: name, namespace: namespace, description: "a test workload", workloadType: "inmem",
            workloadLifecycle: lifecycle, runRequest: "{}", tags: ["foo": "bar"]),
        workloadCreds: credentials)
}

// MARK: The scripted node

/// A node made of plain NATSKit subscriptions: answers REGISTER (and optionally RREGISTER) the way the test
/// scripts it, records what arrives, and receives heartbeats.
final class ScriptedNode: Sendable {
    enum Answer: Sendable {
        /// Success with these agent credentials and existing state.
        case accept(NatsConnectionData, existing: [String: AgentStartWorkloadRequest])
        /// A micro error reply.
        case refuse(code: Int, description: String, error: String)
        /// A reply with `success: false`.
        case unsuccessful(String)
        /// No reply at all.
        case silent
    }

    let nodeID: String
    let connection: NatsConnection
    let registrations = Recorder<NatsMessage>()
    let answer: Mutex<Answer>
    private let subscriptions: [NatsSubscription]

    private init(nodeID: String, connection: NatsConnection, answer: Answer, subscriptions: [NatsSubscription]) {
        self.nodeID = nodeID
        self.connection = connection
        self.answer = Mutex(answer)
        self.subscriptions = subscriptions
    }

    /// Starts answering `$NEX.SVC.<nodeId>.agent.REGISTER.*` on `connection`.
    static func start(on connection: NatsConnection, nodeID: String? = nil, answer: Answer) async throws -> ScriptedNode {
        let id = try nodeID ?? newNodeID()
        let holder = Mutex<ScriptedNode?>(nil)
        let subscription = try connection.subscribe(NexSubscription.register(nodeID: id)) { message in
            guard let node = holder.withLock({ $0 }) else { return }
            node.registrations.append(message)
            node.reply(to: message)
        }
        let node = ScriptedNode(nodeID: id, connection: connection, answer: answer, subscriptions: [subscription])
        holder.withLock { $0 = node }
        try await connection.flush()
        return node
    }

    func setAnswer(_ answer: Answer) { self.answer.withLock { $0 = answer } }

    private func reply(to message: NatsMessage) {
        let answer = self.answer.withLock { $0 }
        switch answer {
        case .accept(let credentials, let existing):
            let response = RegisterAgentResponse(connectionData: credentials, existingState: existing, nodeID: nodeID)
            try? connection.respond(to: message, payload: (try? GoJSON.encode(response)) ?? Data())
        case .refuse(let code, let description, let error):
            let body = (try? GoJSON.encode(NexErrorBody(errorID: "err-1", error: error))) ?? Data()
            try? connection.respond(to: message, payload: body, headers: [
                NexHeader.serviceError: description, NexHeader.serviceErrorCode: String(code),
            ])
        case .unsuccessful(let text):
            var response = RegisterAgentResponse(connectionData: NatsConnectionData(), nodeID: nodeID)
            response.success = false
            response.message = text
            try? connection.respond(to: message, payload: (try? GoJSON.encode(response)) ?? Data())
        case .silent:
            break
        }
    }

    /// A subscription to every agent heartbeat of this node.
    func heartbeats() throws -> NatsSubscription {
        try connection.subscribe(NexSubject.agentHeartbeat(nodeID: nodeID, agentID: "*"))
    }
}

/// Agent credentials pointing at `server` (what the test/full-access minters hand out: servers only).
func serversOnly(_ server: NATSServer) -> NatsConnectionData {
    NatsConnectionData(natsServers: [server.url])
}

/// A runner with an in-memory nexlet, registered with a scripted node on a fresh server.
struct Harness {
    let server: NATSServer
    let client: NatsConnection
    let node: ScriptedNode
    let nexlet: InMemoryNexlet
    let runner: NexletRunner
    let agentID: String

    static func start(
        nexlet: InMemoryNexlet = InMemoryNexlet(), options: NexletRunnerOptions = testOptions(),
        existing: [String: AgentStartWorkloadRequest] = [:], serverConfig: String = ""
    ) async throws -> Harness {
        let server = try await NATSServer.start(NATSServerOptions(jetstream: false, extraConfig: serverConfig))
        let client = try await connect(server, name: "node")
        let node = try await ScriptedNode.start(on: client, answer: .accept(serversOnly(server), existing: existing))
        let runner = NexletRunner(runtime: nexlet, options: options)
        let agentID = NUID.next()
        try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: serversOnly(server))
        return Harness(server: server, client: client, node: node, nexlet: nexlet, runner: runner, agentID: agentID)
    }

    func stop() async {
        await runner.stop()
        await client.close()
        await server.stop()
    }
}

// MARK: Exactly-one-reply exchanges

/// Sends one request to an agent endpoint with a reply subject under a fresh wildcard inbox, waits until the
/// agent's micro service reports the request handled (`$SRV.STATS`), then sends a sentinel through the same
/// inbox: every reply the handler sent arrives before the sentinel, so the count is exact.
func exchange(
    _ client: NatsConnection, _ subject: String, payload: Data = Data(), service: String = "inmem", endpoint: String
) async throws -> [NatsMessage] {
    let before = try await handledRequests(client, service: service, endpoint: endpoint)
    let inbox = client.newInbox()
    let replies = try client.subscribe(inbox + ".>")
    try await client.flush()
    try client.publish(subject, payload: payload, replyTo: inbox + ".reply")
    try await eventually("\(endpoint) handled the request", timeout: .seconds(10)) {
        try await handledRequests(client, service: service, endpoint: endpoint) > before
    }
    try client.publish(inbox + ".sentinel")
    return try await withDeadline(.seconds(5), "replies on \(subject)") {
        var received: [NatsMessage] = []
        for await message in replies {
            if message.subject == inbox + ".sentinel" { break }
            received.append(message)
        }
        return received
    }
}

/// Like ``exchange(_:_:payload:service:endpoint:)`` but requires exactly one reply and returns it.
func exchangeOnce(
    _ client: NatsConnection, _ subject: String, payload: Data = Data(), service: String = "inmem", endpoint: String
) async throws -> NatsMessage {
    let replies = try await exchange(client, subject, payload: payload, service: service, endpoint: endpoint)
    #expect(replies.count == 1, "\(endpoint) sent \(replies.count) replies")
    return try #require(replies.first)
}

/// `num_requests` of one endpoint of a micro service, from `$SRV.STATS.<service>`.
func handledRequests(_ client: NatsConnection, service: String, endpoint: String) async throws -> Int {
    let reply = try await client.request("$SRV.STATS.\(service)", timeout: .seconds(2))
    let stats = try json(reply)
    let endpoints = stats["endpoints"] as? [[String: Any]] ?? []
    return endpoints.first { $0["name"] as? String == endpoint }?["num_requests"] as? Int ?? 0
}
