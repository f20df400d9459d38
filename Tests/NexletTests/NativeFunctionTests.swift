import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import Testing

/// Functions: one process per message on the trigger subject, stdin in, stdout back.
@Suite struct NativeFunctionTests {
    @Test func functionIsInvokedOnItsTriggerSubjectAndReplies() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let events = try await EventLog(user, from: "user")
            let upper = try harness.script("upper", """
                input=$(cat)
                echo "invoked on $NEX_TRIGGER_SUBJECT" >&2
                printf '%s' "$input" | tr a-z A-Z
                """)
            let deployed = try await user.deploy(nativeRequest(name: "upper", lifecycle: .function, runRequest: runRequest(uri: "file://\(upper)")))
            let id = deployed.response.id
            let subject = "user.\(id)"

            let listed = try #require(try await user.listWorkloads().get().all.first)
            #expect(listed.workloadState == .warm)
            #expect(listed.metadata?["trigger_subject"] == subject)

            let reply = try await harness.connection.request(subject, payload: Data("hello native".utf8), timeout: .seconds(10))
            #expect(reply.string == "HELLO NATIVE")
            #expect(reply.headers["workload_id"] == id)
            #expect(reply.headers["namespace"] == "user")
            #expect(reply.headers["error"] == nil)
            try await logs.waitFor("invoked on \(subject)", in: id, .stderr)
            try await eventually("WORKLOADTRIGGERED") { events.all.contains { $0.message.name == "WORKLOADTRIGGERED" } }

            // Concurrent invocations each get their own process and their own answer.
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<5 {
                    group.addTask {
                        try await harness.connection.request(subject, payload: Data("call \(index)".utf8), timeout: .seconds(10)).string
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(answers == Set((0..<5).map { "CALL \($0)" }))
        }
    }

    @Test func failingFunctionRepliesWithTheErrorHeader() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let failing = try harness.script("failing", "cat > /dev/null; echo partial; exit 4")
            let deployed = try await user.deploy(nativeRequest(lifecycle: .function, runRequest: runRequest(uri: "file://\(failing)")))
            let reply = try await harness.connection.request("user.\(deployed.response.id)", payload: Data("x".utf8), timeout: .seconds(10))
            #expect(reply.headers["error"] == "function ended with exit code 4")
            #expect(reply.payload.isEmpty)
        }
    }

    @Test func triggerSubjectMayBeChosenInsideTheNamespaceOnly() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let echo = try harness.script("echo", "cat")
            let deployed = try await user.deploy(nativeRequest(lifecycle: .function, runRequest: runRequest(
                uri: "file://\(echo)", ["trigger_subject": "user.echo.*"])))
            let reply = try await harness.connection.request("user.echo.anything", payload: Data("same".utf8), timeout: .seconds(10))
            #expect(reply.string == "same")
            #expect(reply.headers["workload_id"] == deployed.response.id)

            for subject in ["other.echo", "user", "user..x", "user.>.x", "user.a b"] {
                await #expect {
                    _ = try await user.deploy(nativeRequest(lifecycle: .function, runRequest: runRequest(uri: "file://\(echo)", ["trigger_subject": subject])))
                } throws: { error in
                    (error as? NexError)?.body.hasPrefix("invalid trigger_subject \"\(subject)\"") == true
                }
            }
            // Stopping removes the trigger: nobody answers any more.
            _ = try await user.stopWorkload(id: deployed.response.id)
            await #expect(throws: NatsError.self) {
                _ = try await harness.connection.request("user.echo.anything", payload: Data(), timeout: .seconds(1))
            }
        }
    }
}
