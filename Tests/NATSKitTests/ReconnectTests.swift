import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct ReconnectTests {
    @Test func reconnectsAfterServerRestartOnTheSamePort() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let events = connection.events()
        let service = try connection.subscribe("after.restart") { message in
            try? connection.respond(to: message, payload: Data("still here".utf8))
        }
        try await connection.flush()

        try await server.restart()
        // Wait for the events in order: disconnected, then reconnected.
        let seen = try await withDeadline(.seconds(10), "reconnect") {
            var seen: [NatsConnectionEvent] = []
            for await event in events {
                seen.append(event)
                if event == .reconnected { break }
            }
            return seen
        }
        #expect(seen.contains(.disconnected))
        #expect(seen.last == .reconnected)
        // Subscriptions are restored on reconnect.
        let reply = try await connection.request("after.restart", timeout: .seconds(5))
        #expect(reply.string == "still here")
        service.unsubscribe()
    }

    @Test func closeEmitsClosedAndEndsEventStreams() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let events = connection.events()
        await connection.close()
        let all = try await withDeadline(.seconds(5)) {
            var all: [NatsConnectionEvent] = []
            for await event in events { all.append(event) }
            return all
        }
        #expect(all.last == .closed)
    }

    @Test func permissionViolationIsReportedAsAnEvent() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: """
        authorization { users: [ { user: limited, password: p, permissions: { publish: { allow: ["ok.>"] }, subscribe: { allow: ["ok.>", "_INBOX.>"] } } } ] }
        """))
        let connection = try await connect(server, auth: .userPassword(user: "limited", password: "p"))
        let events = connection.events()
        try connection.publish("forbidden.subject", payload: Data("x"))
        let error = try await withDeadline(.seconds(5)) { () -> NatsError? in
            for await event in events {
                if case .error(let error, _) = event { return error }
            }
            return nil
        }
        #expect(error?.kind == .notPermitted)
    }
}
