import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexletTestSupport
import NexNode
import NexProtocol
import Testing

/// A nexlet in another process (here: another connection) bootstraps over RREGISTER, registers, wins an
/// auction for its own type and runs a workload (protocol.md §4.2).
@Suite struct RemoteNexletTests {
    @Test func remoteNexletRegistersAndRunsAWorkload() async throws {
        try await withTeardown { teardown in
            let trusted = try KeyPair.generate(.user)
            let harness = try await NodeHarness.start { options, _ in
                options.allowRemoteAgentRegistration = true
                options.remoteAgentTrust = [trusted.publicKey]
            }
            teardown.add { await harness.stop() }
            let echo = InMemoryNexlet(name: "echo", registerType: "echo")
            var quiet = NexletRunnerOptions(nexus: "nexus")
            quiet.logger.logLevel = .error
            let runner = NexletRunner(runtime: echo, options: quiet)
            teardown.add { await runner.stop() }
            try await runner.runRemote(bootstrap: NatsConnectOptions(servers: [harness.server.url], name: "remote-echo"), nexus: "nexus", trust: trusted)

            let user = try NexClient(connection: harness.client, namespace: "user")
            let deployed = try await user.deploy(StartWorkloadRequest(name: "hi", namespace: "user", workloadType: "echo", runRequest: "{}"), tags: nil)
            #expect(echo.workload(id: deployed.response.id)?.name == "hi")
            let info = try await NexClient(connection: harness.client, namespace: "system").nodeInfo(nodeID: harness.node.id)
            #expect(info.nodeAgentSummaries?.map(\.agentSummary.name) == ["echo"])
        }
    }

    /// The user guide's `--allow-remote-agent-registration` without a trust list still starts the node, but
    /// refuses every RREGISTER, even a signed one.
    @Test func remoteRegistrationWithoutATrustListRefusesEveryone() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start { options, _ in options.allowRemoteAgentRegistration = true }
            teardown.add { await harness.stop() }
            let runner = NexletRunner(runtime: InMemoryNexlet(name: "echo", registerType: "echo"))
            do {
                try await runner.runRemote(bootstrap: NatsConnectOptions(servers: [harness.server.url]), nexus: "nexus", trust: try KeyPair.generate(.user))
                Issue.record("a node without a trust list accepted RREGISTER")
            } catch let error as NexletRunnerError {
                guard case .registrationRefused(let code, _, let detail) = error else { throw error }
                #expect(code == 403)
                #expect(detail.contains("--remote-agent-trust"))
            }
        }
    }

    @Test func remoteRegistrationIsOffUnlessAllowed() async throws {
        try await withTeardown { teardown in
            let harness = try await NodeHarness.start()
            teardown.add { await harness.stop() }
            let runner = NexletRunner(runtime: InMemoryNexlet(name: "echo", registerType: "echo"))
            let refused = await #expect(throws: NexletRunnerError.self) {
                try await runner.runRemote(bootstrap: NatsConnectOptions(servers: [harness.server.url]), nexus: "nexus")
            }
            guard case .remoteRegistrationUnavailable(let nexus, let reason)? = refused else {
                Issue.record("expected remoteRegistrationUnavailable, got \(String(describing: refused))")
                return
            }
            #expect(nexus == "nexus" && reason.contains("nobody listens on $NEX.SVC.nexus.agent.RREGISTER"), "\(reason)")
        }
    }
}
