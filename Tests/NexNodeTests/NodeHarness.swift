import Foundation
import NATSKit
import NATSTestSupport
import NexNode
import NexProtocol
import Minter

/// A real nats-server, one or more nodes on it, and a client connection.
struct NodeHarness: Sendable {
    let server: NATSServer
    let nodes: [NexNode]
    let client: NatsConnection

    static func start(nodes count: Int = 1, server given: NATSServer? = nil, configure: @Sendable (inout NodeOptions, Int) -> Void = { _, _ in }) async throws -> NodeHarness {
        let server: NATSServer
        if let given { server = given } else { server = try await NATSServer.start() }
        var nodes: [NexNode] = []
        for index in 0..<count {
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "node-\(index)"))
            var options = NodeOptions()
            options.name = "node-\(index)"
            options.minter = FullAccessMinter(servers: [server.url])
            options.logger.logLevel = .error
            configure(&options, index)
            let node = try NexNode(connection: connection, options: options)
            try await node.start()
            nodes.append(node)
        }
        // Nodes learn of each other from their greeting heartbeats; until they have, a fan-out that ends "when
        // every node answered" may end early by design. Tests start from a nexus whose nodes all know each other.
        let known = nodes
        try await eventually("every node knows all \(count)", timeout: .seconds(15)) { known.allSatisfy { $0.knownNexusSize >= count } }
        let client = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "client"))
        return NodeHarness(server: server, nodes: nodes, client: client)
    }

    var node: NexNode { nodes[0] }

    func stop() async {
        for node in nodes { await node.shutdown() }
    }

    /// Sends `body` (a wire value or raw bytes) and waits for one reply.
    func request<Body: Encodable>(_ subject: String, _ body: Body, headers: NatsHeaders = NatsHeaders(), timeout: Duration = .seconds(5)) async throws -> NatsMessage {
        try await client.request(subject, payload: try GoJSON.encode(body), headers: headers, timeout: timeout)
    }

    func requestRaw(_ subject: String, _ payload: Data, timeout: Duration = .seconds(5)) async throws -> NatsMessage {
        try await client.request(subject, payload: payload, timeout: timeout)
    }

    /// Gathers replies from every node (stops when `count` arrived or after a short quiet period).
    func gather<Body: Encodable>(_ subject: String, _ body: Body, count: Int? = nil, headers: NatsHeaders = NatsHeaders()) async throws -> [NatsMessage] {
        try await client.requestMany(subject, payload: try GoJSON.encode(body), headers: headers, options: ScatterGatherOptions(
            firstReplyTimeout: .seconds(2), stall: .fixed(.milliseconds(300)), maxMessages: count, totalTimeout: .seconds(10))).replies
    }
}

extension NatsMessage {
    /// The error reply this message carries, if any.
    var nexError: NexError? { NexError(replyHeaders: headers.dictionary, body: payload) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try GoJSON.decode(type, from: payload) }
}
