import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// A connection's custom inbox prefix reaches every inbox NATSKit and nats.c create: against a server where a
/// user may subscribe only `_INBOX_x.>`, request/reply, scatter-gather, `publishRequest`, JetStream API calls,
/// KV get/put/watch and object-store reads work with the prefix, and fail with the default one.
@Suite struct InboxPrefixTests {
    static let prefix = "_INBOX_x"

    /// `admin` may do anything; `boxed` may publish anywhere but subscribe only its private inbox prefix.
    static func start() async throws -> NATSServer {
        try await NATSServer.start(NATSServerOptions(extraConfig: """
            authorization {
              users = [
                { user: admin, password: admin }
                { user: boxed, password: boxed, permissions: { publish: { allow: [">"] }, subscribe: { allow: ["\(prefix).>"] } } }
              ]
            }
            """))
    }

    static func connect(_ server: NATSServer, user: String, inboxPrefix: String = "") async throws -> NatsConnection {
        try await NatsConnection.connect(NatsConnectOptions(
            servers: [server.url], name: user, auth: .userPassword(user: user, password: user), maxReconnects: 0,
            inboxPrefix: inboxPrefix))
    }

    /// An echo responder on `svc.echo`, a KV bucket and an object store, made by the admin.
    static func prepare(_ admin: NatsConnection) async throws -> NatsSubscription {
        let responder = try admin.subscribe("svc.echo") { message in try? admin.respond(to: message, payload: message.payload) }
        let js = try JetStream(admin)
        let kv = try await js.createKeyValue(KeyValueConfig(bucket: "cfg", history: 1))
        try await kv.put("seed", Data("v0".utf8))
        let store = try await js.createObjectStore(ObjectStoreConfig(bucket: "bins"))
        _ = try await store.put("tool", data: Data(repeating: 7, count: 5000), chunkSize: 1000)
        try await admin.flush()
        return responder
    }

    @Test func everyInboxUsesTheConnectionsPrefix() async throws {
        let server = try await Self.start()
        let admin = try await Self.connect(server, user: "admin")
        let responder = try await Self.prepare(admin)
        defer { responder.unsubscribe() }
        let boxed = try await Self.connect(server, user: "boxed", inboxPrefix: Self.prefix)

        #expect(boxed.newInbox().hasPrefix(Self.prefix + "."))
        #expect(try await boxed.request("svc.echo", payload: Data("hi".utf8), timeout: .seconds(5)).payload == Data("hi".utf8))
        let gathered = try await boxed.requestMany("svc.echo", payload: Data("all".utf8),
                                                   options: ScatterGatherOptions(firstReplyTimeout: .seconds(5), maxMessages: 1))
        #expect(gathered.replies.map(\.payload) == [Data("all".utf8)])

        let replies = AsyncStream.makeStream(of: NatsMessage.self)
        let interest = try boxed.publishRequest("svc.echo", payload: Data("open".utf8)) { replies.continuation.yield($0) }
        defer { interest.close() }
        #expect(interest.replySubject.hasPrefix(Self.prefix + "."))
        let reply = try await withDeadline(.seconds(5), "publishRequest reply") { () -> NatsMessage? in
            for await message in replies.stream { return message }
            return nil
        }
        #expect(reply?.payload == Data("open".utf8))

        let js = try JetStream(boxed)
        let kv = try await js.keyValue("cfg")
        #expect(try await kv.get("seed")?.value == Data("v0".utf8))
        let watcher = try await kv.watch("live")
        defer { watcher.stop() }
        _ = try await kv.put("live", Data("v1".utf8))
        let update = try await withDeadline(.seconds(5), "KV watch delivery") { () -> KeyValueEntry? in
            for await update in watcher { if case .entry(let entry) = update { return entry } }
            return nil
        }
        #expect(update?.value == Data("v1".utf8))

        let object = try await js.objectStore("bins").get("tool")
        #expect(object.data == Data(repeating: 7, count: 5000))

        let log = (try? String(contentsOf: server.logFile, encoding: .utf8)) ?? ""
        #expect(!log.contains("Subscription Violation"))
    }

    /// The control: the same user with the default `_INBOX` prefix cannot receive a single reply.
    @Test func theDefaultPrefixIsRefusedForTheSameUser() async throws {
        let server = try await Self.start()
        let admin = try await Self.connect(server, user: "admin")
        let responder = try await Self.prepare(admin)
        defer { responder.unsubscribe() }
        let boxed = try await Self.connect(server, user: "boxed")

        #expect(boxed.newInbox().hasPrefix("_INBOX."))
        let request = await #expect(throws: NatsError.self) {
            _ = try await boxed.request("svc.echo", timeout: .milliseconds(500))
        }
        #expect(request?.kind == .timeout && request?.message == "request on svc.echo: timed out", "\(String(describing: request))")
        let js = try JetStream(boxed, timeout: .milliseconds(500))
        let bind = await #expect(throws: NatsError.self) { _ = try await js.keyValue("cfg") }
        #expect(bind?.kind == .timeout && bind?.message.hasPrefix("bind KV bucket cfg") == true, "\(String(describing: bind))")
        let object = await #expect(throws: NatsError.self) {
            _ = try await js.objectStore("bins", chunkTimeout: .milliseconds(500)).get("tool")
        }
        #expect(object?.kind == .timeout && object?.message.hasPrefix("object store bins: read the metadata of tool") == true, "\(String(describing: object))")
        try await eventually("subscription violation logged", timeout: .seconds(5)) {
            ((try? String(contentsOf: server.logFile, encoding: .utf8)) ?? "").contains("Subscription Violation")
        }
    }

    @Test func aPrefixWithWildcardsOrEmptyTokensIsRefusedBeforeConnecting() async throws {
        for bad in ["_INBOX.*", "a.>", "a..b", "a.", "has space"] {
            #expect(throws: NatsError.self) { try NatsConnectOptions.validateInboxPrefix(bad) }
        }
        try NatsConnectOptions.validateInboxPrefix("")
        try NatsConnectOptions.validateInboxPrefix("_INBOX_abc")
        try NatsConnectOptions.validateInboxPrefix("tenant.inbox")
        await #expect(throws: NatsError.self) {
            _ = try await NatsConnection.connect(NatsConnectOptions(servers: ["nats://127.0.0.1:1"], inboxPrefix: "bad.*"))
        }
    }
}
