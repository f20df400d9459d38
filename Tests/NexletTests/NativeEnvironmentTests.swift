import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import Testing

/// What a workload process gets: its environment (with the encrypted environment opened), argv, workdir.
@Suite struct NativeEnvironmentTests {
    /// Prints the environment the shell was started with, exactly (from /proc, NUL-separated → lines).
    static let printEnvironment = #"tr '\0' '\n' < /proc/$$/environ; echo "argv0=$0 args=$*"; echo "cwd=$(pwd)"; echo END"#

    static func variables(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    @Test func encryptedEnvironmentArrivesDecrypted() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let printer = try harness.script("printer", Self.printEnvironment)
            let bid = try #require(try await user.auction(agentType: "native").bids.first)
            #expect(bid.xkey == harness.nexlet.publicXkey)
            let sealed = try Minter.EncEnv.seal(["SECRET": "s3cr3t value", "SHARED": "from the sealed env"], to: bid.xkey)
            let request = runRequest(uri: "file://\(printer)", argv: ["one", "two words"], environment: ["SHARED": "plain", "PLAIN": "visible"], [
                "encrypted_environment": ["encrypted_by": sealed.encryptedBy, "base64_encrypted_env": sealed.base64EncryptedEnv],
                "workdir": harness.directory.path,
            ])
            let response = try await user.startWorkload(nativeRequest(lifecycle: .job, runRequest: request), bid: bid)
            let output = try await logs.waitFor("END", in: response.id)
            let environment = Self.variables(output)

            #expect(environment["SECRET"] == "s3cr3t value")
            #expect(environment["SHARED"] == "from the sealed env", "the decrypted value wins over the plain one")
            #expect(environment["PLAIN"] == "visible")
            #expect(environment["NEX_WORKLOAD_ID"] == response.id)
            #expect(environment["NEX_WORKLOAD_NAMESPACE"] == "user")
            #expect(environment["NEX_WORKLOAD_NATS_SERVERS"] == harness.server.url)
            #expect(environment["NEX_WORKLOAD_NATS_URL"] == harness.server.url)
            #expect(environment["NEX_WORKLOAD_NATS_NKEY"] == "")
            #expect(environment["NEX_WORKLOAD_NATS_B64_JWT"] == "")
            #expect(environment["NEX_WORKLOAD_NATS_INBOX_PREFIX"] == "", "full-access credentials: the default _INBOX")
            #expect(environment["PATH"] == "/usr/local/bin:/usr/bin:/bin")
            #expect(environment["NEX_WORKLOAD_OWNER"]?.isEmpty == false, "the owning nexlet's state directory marks the process")
            // Nothing of the node's own environment: exactly these variables.
            let expected: Set = [
                "PATH", "SECRET", "SHARED", "PLAIN", "NEX_WORKLOAD_ID", "NEX_WORKLOAD_NAMESPACE", "NEX_WORKLOAD_NATS_SERVERS",
                "NEX_WORKLOAD_NATS_URL", "NEX_WORKLOAD_NATS_NKEY", "NEX_WORKLOAD_NATS_B64_JWT", "NEX_WORKLOAD_OWNER", "argv0", "cwd",
                // issue 12: private inboxes
                "NEX_WORKLOAD_NATS_INBOX_PREFIX",
            ]
            // A sandboxed workload also gets its own HOME.
            #expect(Set(environment.keys) == expected.union(harness.nexlet.options.sandboxesWorkloads ? ["HOME"] : []))
            #expect(environment["argv0"] == "\(printer) args=one two words", "argv[0] is the artifact")
            #expect(environment["cwd"] == harness.directory.path)
        }
    }

    @Test func environmentSealedToAnotherKeyIsRefused() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let printer = try harness.script("printer", Self.printEnvironment)
            let stranger = try XKeyPair.generate()
            let sealed = try Minter.EncEnv.seal(["SECRET": "x"], to: stranger.publicKey)
            let request = runRequest(uri: "file://\(printer)", [
                "encrypted_environment": ["encrypted_by": sealed.encryptedBy, "base64_encrypted_env": sealed.base64EncryptedEnv],
            ])
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: request))
            } throws: { error in
                guard let error = error as? NexError else { return false }
                return error.status == 100 && error.body.hasPrefix("cannot open encrypted_environment with this nexlet's xkey")
            }
            #expect(try await user.listWorkloads().get().all.isEmpty)
        }
    }

    @Test func workloadCredentialsReachTheProcess() async throws {
        try await withTeardown { teardown in
            // A node whose minter hands out nkey credentials: the seed and the servers reach the workload.
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let seed = try KeyPair.generate(.user)
            let credentials = NatsConnectionData(natsServers: ["nats://a:4222", "nats://b:4222"], natsUserJWT: "header.claims.sig", natsUserSeed: try #require(seed.seed),
                                                 natsInboxPrefix: "_INBOX_CREDSWORKLOAD")
            let printer = try harness.script("printer", Self.printEnvironment)
            let logs = try await LogCapture(try harness.client(), namespace: "creds")
            _ = try await harness.nexlet.start(
                workloadID: "CREDSWORKLOAD",
                request: AgentStartWorkloadRequest(
                    request: nativeRequest(namespace: "creds", lifecycle: .job, runRequest: runRequest(uri: "file://\(printer)")),
                    workloadCreds: credentials),
                replayed: false)
            let environment = Self.variables(try await logs.waitFor("END", in: "CREDSWORKLOAD"))
            #expect(environment["NEX_WORKLOAD_NATS_SERVERS"] == "nats://a:4222,nats://b:4222")
            #expect(environment["NEX_WORKLOAD_NATS_NKEY"] == seed.seed)
            #expect(environment["NEX_WORKLOAD_NATS_B64_JWT"] == Data("header.claims.sig".utf8).base64EncodedString())
            #expect(environment["NEX_WORKLOAD_NATS_INBOX_PREFIX"] == "_INBOX_CREDSWORKLOAD")
        }
    }
}
