import Foundation
import JSONSchema
import Minter
import NATSKit
import NATSTestSupport
import NexProtocol
import Synchronization

/// A nexlet-bearing node played by the test, as far as `workload start` sees it: it bids with a chosen
/// start-request schema, lifecycles and a real xkey, records every ADEPLOY body, and answers the deploy
/// (or fails it like an agent, code 100).
final class CLIScriptedBidder: Sendable {
    struct Script: Sendable {
        var agentType = "native"
        var schema = "{}"
        var lifecycles: [WorkloadLifecycle]? = [.job, .service]
        /// Set: ADEPLOY fails with this agent error.
        var agentError: String?
    }

    let script: Script
    let connection: NatsConnection
    /// The nexlet's curve key: the bid's `xkey`, able to open what the CLI sealed.
    let xkeys: XKeyPair
    private let deploys = Mutex<[StartWorkloadRequest]>([])
    private let subscriptions = Mutex<[NatsSubscription]>([])

    private init(script: Script, connection: NatsConnection, xkeys: XKeyPair) {
        self.script = script
        self.connection = connection
        self.xkeys = xkeys
    }

    static func start(on server: NATSServer, _ script: Script = Script()) async throws -> CLIScriptedBidder {
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "scripted-bidder"))
        let bidder = CLIScriptedBidder(script: script, connection: connection, xkeys: try XKeyPair.generate())
        let auction = try connection.subscribe("$NEX.SVC.*.control.AUCTION") { [weak bidder] message in bidder?.bid(message) }
        let deploy = try connection.subscribe("$NEX.SVC.*.control.ADEPLOY.*") { [weak bidder] message in bidder?.deploy(message) }
        bidder.subscriptions.withLock { $0 = [auction, deploy] }
        try await connection.flush()
        return bidder
    }

    /// The start requests received, in order.
    var deployed: [StartWorkloadRequest] { deploys.withLock { $0 } }

    private func bid(_ message: NatsMessage) {
        guard let request = try? GoJSON.decode(AuctionRequest.self, from: message.payload), request.agentType == script.agentType else { return }
        let bid = AuctionResponse(
            bidderID: NUID.next(), startRequestSchema: script.schema, supportedLifecycles: script.lifecycles, xkey: xkeys.publicKey)
        if let payload = try? GoJSON.encode(bid) { try? connection.respond(to: message, payload: payload) }
    }

    private func deploy(_ message: NatsMessage) {
        guard let request = try? GoJSON.decode(StartWorkloadRequest.self, from: message.payload) else { return }
        deploys.withLock { $0.append(request) }
        let response = StartWorkloadResponse(id: NUID.next(), name: request.name.isEmpty ? "generated" : request.name)
        let body = (try? GoJSON.encode(response)) ?? Data()
        if let failure = script.agentError {
            let reply = ServiceErrorReply.agent(failure, body: body)
            try? connection.respond(to: message, payload: reply.body, headers: natsHeaders(reply.headers))
        } else {
            try? connection.respond(to: message, payload: body)
        }
    }

    /// The environment of a received start request, opened with the nexlet's key when it was sealed.
    func environment(of request: StartWorkloadRequest) throws -> (plain: [String: String]?, sealed: [String: String]?) {
        guard case .object(let members) = try JSONValue(parsing: request.runRequest) else { return (nil, nil) }
        var plain: [String: String]?
        if case .object(let variables)? = members["environment"] {
            plain = variables.compactMapValues { if case .string(let text) = $0 { return text } else { return nil } }
        }
        var sealed: [String: String]?
        if case .object(let envelope)? = members["encrypted_environment"],
           case .string(let sender)? = envelope["encrypted_by"], case .string(let blob)? = envelope["base64_encrypted_env"] {
            sealed = try Minter.EncEnv(encryptedBy: sender, base64EncryptedEnv: blob).open(with: xkeys)
        }
        return (plain, sealed)
    }
}
