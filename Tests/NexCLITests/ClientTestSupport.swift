import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Synchronization

/// Connects to `server` with test-friendly defaults.
func connectTo(_ server: NATSServer, name: String = "client") async throws -> NatsConnection {
    try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: name, reconnectWait: .milliseconds(50)))
}

/// A NATS server with `count` scripted nodes named `testnexus-1...N` (tag `foo=bar`, one `inmem` agent),
/// like the Go tests' `StartNexus`.
struct TestNexus {
    let server: NATSServer
    let nodes: [ScriptedNode]

    /// Our-style nodes by default (each knows the nexus size), so auctions end when all have answered.
    static func start(count: Int, style: AuctionStyle? = nil, configure: (inout NodeScript) -> Void = { _ in }) async throws -> TestNexus {
        let server = try await NATSServer.start()
        var nodes: [ScriptedNode] = []
        for index in stride(from: 1, through: count, by: 1) {
            var script = NodeScript(name: "testnexus-\(index)")
            script.style = style ?? .ours(nexusSize: count)
            configure(&script)
            nodes.append(try await ScriptedNode.start(script, on: server))
        }
        return TestNexus(server: server, nodes: nodes)
    }

    /// A client of `namespace` on its own connection.
    func client(_ namespace: String, options: NexClientOptions = NexClientOptions()) async throws -> NexClient {
        try NexClient(connection: try await connectTo(server, name: "client-\(namespace)"), namespace: namespace, options: options)
    }

    /// The node holding workload `id`, if any.
    func node(holding id: String) -> ScriptedNode? {
        nodes.first { node in node.workloads.contains { $0.id == id } }
    }
}

/// The Go tests' "fake error responder": answers every request on `subject` with a 500 micro error, body
/// `{"error_id":"fake-error-node","error":"<message>"}`.
func startFakeErrorResponder(_ server: NATSServer, subject: String, message: String = "fake node failure") async throws -> (NatsConnection, NatsSubscription) {
    let connection = try await connectTo(server, name: "fake-error")
    let reply = NexError(id: "fake-error-node", error: message, body: message, status: 500)
    let headers = natsHeaders(ServiceErrorReply(code: 500, description: message).headers)
    let body = try GoJSON.encode(NexErrorBody(errorID: reply.id, error: reply.error))
    let subscription = try connection.subscribe(subject) { request in
        try? connection.respond(to: request, payload: body, headers: headers)
    }
    try await connection.flush()
    return (connection, subscription)
}

/// A responder that answers each request on its subject with `count` bids, `gap` apart (a stream of
/// answers that only a total deadline can cut short) until stopped.
final class ChattyBidder: Sendable {
    let connection: NatsConnection
    private let stopped = Atomic<Bool>(false)
    private let subscription = Mutex<NatsSubscription?>(nil)

    private init(connection: NatsConnection) {
        self.connection = connection
    }

    static func start(_ server: NATSServer, subject: String, count: Int, gap: Duration) async throws -> ChattyBidder {
        let bidder = ChattyBidder(connection: try await connectTo(server, name: "chatty"))
        let subscription = try bidder.connection.subscribe(subject) { [weak bidder] request in
            guard let bidder, let replyTo = request.replyTo else { return }
            bidder.bid(to: replyTo)
            Task {
                for _ in 1..<count where !bidder.stopped.load(ordering: .relaxed) {
                    try? await Task.sleep(for: gap)
                    bidder.bid(to: replyTo)
                }
            }
        }
        bidder.subscription.withLock { $0 = subscription }
        try await bidder.connection.flush()
        return bidder
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        subscription.withLock { $0?.unsubscribe() }
    }

    private func bid(to replyTo: String) {
        let bid = AuctionResponse(bidderID: NUID.next(), startRequestSchema: "{}", supportedLifecycles: nil, xkey: "X")
        if let payload = try? GoJSON.encode(bid) { try? connection.publish(replyTo, payload: payload) }
    }
}

/// A subscriber that never answers (keeps a subject "alive" so requests get no no-responders status).
func startSilentSubscriber(_ server: NATSServer, subject: String) async throws -> (NatsConnection, NatsSubscription) {
    let connection = try await connectTo(server, name: "silent")
    let subscription = try connection.subscribe(subject) { _ in }
    try await connection.flush()
    return (connection, subscription)
}

/// A start request for the scripted `inmem` agent.
func inmemRequest(name: String, namespace: String, lifecycle: WorkloadLifecycle = .service, tags: NodeTags? = nil) -> StartWorkloadRequest {
    StartWorkloadRequest(
        name: name, namespace: namespace, description: "test", workloadType: "inmem", workloadLifecycle: lifecycle,
        runRequest: "{}", tags: tags)
}

/// Gather and auction rules for tests that check timing-driven stop reasons: short but not flaky.
extension NexClientOptions {
    static func quick(firstReply: Duration = .milliseconds(200)) -> NexClientOptions {
        var options = NexClientOptions(requestTimeout: .milliseconds(300), startWorkloadTimeout: .milliseconds(300))
        options.gather.firstReplyTimeout = firstReply
        options.auction.firstReplyTimeout = firstReply
        return options
    }
}
