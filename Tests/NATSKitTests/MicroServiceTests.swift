import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct MicroServiceTests {
    func json(_ message: NatsMessage) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: message.payload) as? [String: Any])
    }

    @Test func discoveryAndEndpoints() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server, name: "svc")
        let client = try await connect(server, name: "client")
        let service = try MicroService(connection: connection, name: "nexnode", version: "1.2.3", description: "test service")
        try service.addEndpoint(name: "Echo", subject: "svc.echo", queueGroup: "q") { request in
            request.respond(request.payload)
            // A second reply is refused.
            #expect(request.respond(Data("again".utf8)) == false)
        }
        try service.addEndpoint(name: "Fail", subject: "svc.fail", queueGroup: "q") { request in
            request.respondError(code: "400", description: "bad request", body: Data(#"{"error":"x"}"#.utf8))
        }
        try await connection.flush()
        #expect(service.subscriptionCount == 11)

        let echo = try await client.request("svc.echo", payload: Data("hello".utf8))
        #expect(echo.string == "hello")
        let failure = try await client.request("svc.fail")
        #expect(failure.headers["Nats-Service-Error-Code"] == "400")
        #expect(failure.headers["Nats-Service-Error"] == "bad request")

        let ping = try json(try await client.request("$SRV.PING.nexnode"))
        #expect(ping["type"] as? String == "io.nats.micro.v1.ping_response")
        #expect(ping["name"] as? String == "nexnode")
        #expect(ping["version"] as? String == "1.2.3")
        #expect(ping["id"] as? String == service.id)

        let all = try await client.requestMany("$SRV.PING", options: ScatterGatherOptions(stall: .fixed(.milliseconds(100))))
        #expect(all.replies.count == 1)

        let info = try json(try await client.request("$SRV.INFO.nexnode.\(service.id)"))
        let endpoints = try #require(info["endpoints"] as? [[String: Any]])
        #expect(endpoints.map { $0["name"] as? String } == ["Echo", "Fail"])
        #expect(endpoints.first?["queue_group"] as? String == "q")
        #expect(info["description"] as? String == "test service")

        try await eventually("stats recorded") {
            let stats = try self.json(try await client.request("$SRV.STATS.nexnode"))
            let entries = stats["endpoints"] as? [[String: Any]] ?? []
            return entries.first?["num_requests"] as? Int == 1 && entries.last?["num_errors"] as? Int == 1
        }
        await service.stop()
        await #expect(throws: NatsError.self) { _ = try await client.request("svc.echo", timeout: .seconds(1)) }
    }

    @Test func handlersRunConcurrently() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let service = try MicroService(connection: connection, name: "slow", version: "0.0.1")
        let gate = Gate()
        try service.addEndpoint(name: "Wait", subject: "slow.wait", queueGroup: "q") { request in
            await gate.wait()
            request.respond(Data("released".utf8))
        }
        try service.addEndpoint(name: "Fast", subject: "slow.fast", queueGroup: "q") { request in
            request.respond(Data("fast".utf8))
        }
        try await connection.flush()
        let waiting = Task { try await connection.request("slow.wait", timeout: .seconds(10)) }
        // A slow request on one endpoint does not block another request, even on the same endpoint.
        #expect(try await connection.request("slow.fast").string == "fast")
        await gate.open()
        #expect(try await waiting.value.string == "released")
        await service.stop()
    }

    @Test func rejectsInvalidNamesAndVersions() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        #expect(throws: NatsError.self) { _ = try MicroService(connection: connection, name: "has space", version: "1.0.0") }
        #expect(throws: NatsError.self) { _ = try MicroService(connection: connection, name: "ok", version: "1.0") }
        #expect(throws: NatsError.self) { _ = try MicroService(connection: connection, name: "ok", version: "01.0.0") }
        _ = try MicroService(connection: connection, name: "ok", version: "1.0.0-rc.1+build.5")
    }
}

actor Gate {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var isOpen = false

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        waiters.forEach { $0.resume() }
        waiters = []
    }
}
