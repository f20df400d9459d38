import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import OperatorTestSupport
import Testing

/// The native nexlet asks for sealed start requests: its plain `environment` and `argv` cross the wire sealed
/// to its xkey, and the process still gets them.
@Suite struct NativeSealedStartTests {
    /// Attack: watch the agent's STARTWORKLOAD subject for the plain environment. Positive control: the
    /// process prints the variable and the argument.
    @Test func thePlainEnvironmentIsSealedOnTheWireAndReachesTheProcess() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let secret = "plain-\(UUID().uuidString)"
            let observer = try await NatsConnection.connect(NatsConnectOptions(servers: [harness.server.url], name: "observer"))
            teardown.add { await observer.close() }
            let starts = try observer.subscribe("$NEX.SVC.\(harness.node.id).agent.*.STARTWORKLOAD.*")
            try await observer.flush()

            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let printer = try harness.script("printer", NativeEnvironmentTests.printEnvironment)
            let request = runRequest(uri: "file://\(printer)", argv: ["--token=\(secret)"], environment: ["TOKEN": secret])
            let response = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: request), tags: nil).response
            let output = try await logs.waitFor("END", in: response.id)
            let environment = NativeEnvironmentTests.variables(output)
            #expect(environment["TOKEN"] == secret)
            #expect(environment["argv0"] == "\(printer) args=--token=\(secret)")

            let seen = try await drainAndCollect(starts)
            #expect(seen.count == 1)
            for message in seen {
                let text = String(decoding: message.payload, as: UTF8.self)
                #expect(!text.contains(secret))
                #expect(text.contains("nex-sealed:v1:"))
            }
        }
    }
}
