import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// Answers every request on `subject` with `prefix + payload`, echoing headers back.
func startResponder(_ connection: NatsConnection, subject: String, queue: String? = nil, prefix: String = "") throws -> NatsSubscription {
    try connection.subscribe(subject, queue: queue) { message in
        try? connection.respond(to: message, payload: Data(prefix.utf8) + message.payload, headers: message.headers)
    }
}

@Suite struct RequestTests {
    @Test func requestGetsTheReplyWithHeaders() async throws {
        let server = try await NATSServer.start()
        let service = try await connect(server, name: "service")
        let client = try await connect(server, name: "client")
        let responder = try startResponder(service, subject: "echo", prefix: "re:")
        try await service.flush()
        var headers = NatsHeaders()
        headers.set("k", "v")
        let reply = try await client.request("echo", payload: Data("ping"), headers: headers, timeout: .seconds(2))
        #expect(reply.string == "re:ping")
        #expect(reply.headers["k"] == "v")
        responder.unsubscribe()
    }

    @Test func manyConcurrentRequestsEachGetTheirOwnReply() async throws {
        let server = try await NATSServer.start()
        let service = try await connect(server)
        let client = try await connect(server)
        let responder = try startResponder(service, subject: "echo")
        try await service.flush()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let reply = try await client.request("echo", payload: Data("\(index)"), timeout: .seconds(5))
                    #expect(reply.string == "\(index)")
                }
            }
            try await group.waitForAll()
        }
        responder.unsubscribe()
    }

    @Test func noRespondersFailsAtOnce() async throws {
        let server = try await NATSServer.start()
        let client = try await connect(server)
        let started = ContinuousClock.now
        await #expect {
            _ = try await client.request("nobody.home", timeout: .seconds(5))
        } throws: { error in
            (error as? NatsError)?.kind == .noResponders
        }
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func silentResponderTimesOut() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let silent = try connection.subscribe("silent") { _ in }
        try await connection.flush()
        await #expect {
            _ = try await connection.request("silent", timeout: .milliseconds(100))
        } throws: { error in
            (error as? NatsError)?.kind == .timeout
        }
        silent.unsubscribe()
    }

    @Test func cancellingARequestEndsIt() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let silent = try connection.subscribe("silent") { _ in }
        try await connection.flush()
        let task = Task { try await connection.request("silent", timeout: .seconds(60)) }
        task.cancel()
        let result = try await withDeadline(.seconds(5)) { await task.result }
        #expect(throws: CancellationError.self) { try result.get() }
        silent.unsubscribe()
    }
}
