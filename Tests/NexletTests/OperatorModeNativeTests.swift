import Foundation
import Logging
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexNode
import Nexlet
import NexProtocol
import OperatorTestSupport
import Testing

// issue 12: private inboxes and object-store permissions
/// A node with the embedded native nexlet in operator mode, minting with the signing-key strategy: the
/// nexlet registers and fetches `nats://` artifacts on its private inbox with exactly the allowed buckets,
/// and a workload process talks inside its namespace on its own inbox prefix but cannot read anybody
/// else's replies or reach the control plane.
@Suite struct OperatorModeNativeTests {
    struct Setup {
        let env: OperatorEnvironment
        let node: NexNode
        let connection: NatsConnection
        let directory: URL

        func client(_ namespace: String) throws -> NexClient { try NexClient(connection: connection, namespace: namespace) }

        func stop() async {
            await node.shutdown()
            await connection.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func start(artifactBuckets: [String]) async throws -> Setup {
        let env = try await OperatorEnvironment.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("native-op-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)  // sandboxed workloads (their own uids) run artifacts from here
        let runtime = try NativeNexlet(options: NativeHarness.options(directory: directory) { options in
            options.allowedArtifactBuckets = artifactBuckets
            // These tests are about credentials; the interpreter with nats-py may live where only the node's
            // user can reach it (e.g. under a private home), so workloads run as the node's user here.
            options.workloadsAsNodeUser = true
        })
        var logger = Logger(label: "native-op-node")
        logger.logLevel = .error
        var options = NodeOptions()
        options.name = "native-op-node"
        options.nexus = env.nexus
        options.logger = logger
        let nodeKeys = try KeyPair.generate(.server)
        options.nodeSeed = nodeKeys.seed
        options.minter = try SigningKeyMinter(
            signingSeed: env.signingKey.seed ?? "", rootAccount: env.account.publicKey, nodeID: nodeKeys.publicKey,
            nexus: env.nexus, servers: [env.server.url], artifactBuckets: artifactBuckets)
        options.embeddedAgents = [NexletRunner(runtime: runtime, options: NexletRunnerOptions(
            nexus: env.nexus, connectTimeout: .seconds(2), logger: logger))]
        let node = try NexNode(connection: try await env.connectUnrestricted(name: "node", inboxPrefix: "_INBOX_node"), options: options)
        try await node.start()
        let connection = try await env.connectUnrestricted(name: "client")
        return Setup(env: env, node: node, connection: connection, directory: directory)
    }

    static let program = Data("#!/bin/sh\necho \"artifact from the object store says $*\"\n".utf8)

    @Test func natsArtifactsComeOnlyFromTheAllowedBuckets() async throws {
        try await withTeardown { teardown in
            let setup = try await Self.start(artifactBuckets: ["bins"])
            teardown.add { await setup.stop() }
            let js = try JetStream(setup.connection)
            for bucket in ["bins", "other"] {
                _ = try await js.createObjectStore(ObjectStoreConfig(bucket: bucket)).put("hello_latest", data: Self.program, chunkSize: 32)
            }
            let user = try setup.client("user")
            let logs = try await LogCapture(user, namespace: "user")

            // The positive control: the allowed bucket, read with the nexlet's scoped credential.
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "nats://bins/hello", argv: ["hi"])))
            try await logs.waitFor("artifact from the object store says hi", in: deployed.response.id)

            await #expect {
                _ = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "nats://other/hello")))
            } throws: { error in
                (error as? NexError)?.body.contains("object store bucket other is not allowed on this node (--artifact-buckets: bins)") == true
            }
            // Without the nexlet's check the server is still the fence: OperatorModeTests.anAgentReadsObjectsOnlyFromTheAllowedBuckets.
        }
    }

    /// A Python workload (nats-py, an independent client) that uses `NEX_WORKLOAD_NATS_INBOX_PREFIX`.
    static let workload = #"""
        import asyncio, base64, os, tempfile
        import nats, nkeys

        async def main():
            jwt = base64.b64decode(os.environ["NEX_WORKLOAD_NATS_B64_JWT"]).decode()
            seed = os.environ["NEX_WORKLOAD_NATS_NKEY"]
            creds = os.path.join(tempfile.mkdtemp(), "workload.creds")
            with open(creds, "w") as f:
                f.write("-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                        "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n")
            async def on_error(error):
                print("ERROR", error, flush=True)
            nc = await nats.connect(os.environ["NEX_WORKLOAD_NATS_URL"], user_credentials=creds,
                                    inbox_prefix=os.environ["NEX_WORKLOAD_NATS_INBOX_PREFIX"], error_cb=on_error,
                                    allow_reconnect=False)
            print("PREFIX", os.environ["NEX_WORKLOAD_NATS_INBOX_PREFIX"], flush=True)
            print("USER", nkeys.from_seed(seed.encode()).public_key.decode(), flush=True)
            async def echo(msg):
                await msg.respond(b"echo " + msg.data)
            await nc.subscribe("a.echo", cb=echo)
            reply = await nc.request("a.svc", b"hi", timeout=5)
            print("REPLY", reply.data.decode(), flush=True)
            await nc.subscribe("_INBOX.>")
            await nc.subscribe("_INBOX_node.>")
            await nc.publish("$NEX.SVC.system.control.PING", b"{}")
            await nc.flush()
            print("READY", flush=True)
            await asyncio.Event().wait()

        asyncio.run(main())
        """#

    @Test func aWorkloadProcessUsesItsPrivateInboxAndCannotLeaveItsNamespace() async throws {
        try await withTeardown { teardown in
            let setup = try await Self.start(artifactBuckets: [])
            teardown.add { await setup.stop() }
            let observer = try await setup.env.connectUnrestricted(name: "observer")
            let service = try observer.subscribe("a.svc") { message in try? observer.respond(to: message, payload: Data("pong".utf8)) }
            try await observer.flush()
            // The workload's environment has only a minimal PATH: run the interpreter that has nats-py by its path.
            let interpreter = try PythonRunner.run(script: "import sys, nats, nkeys; print(sys.executable)")
            #expect(interpreter.status == 0, "\(interpreter.stderr)")
            let path = try NativeHarness.script(in: setup.directory, "workload.py", "")
            let shebang = "#!" + interpreter.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            try Data((shebang + Self.workload).utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)  // the write replaced the harness's executable file
            let user = try setup.client("a")
            let logs = try await LogCapture(user, namespace: "a")

            let deployed = try await user.deploy(nativeRequest(namespace: "a", runRequest: runRequest(uri: "file://\(path)")))
            let id = deployed.response.id
            let output: String
            do {
                output = try await logs.waitFor("READY", in: id)
            } catch {
                Issue.record("workload output: \(logs.text(id))\nerrors: \(logs.text(id, .stderr))")
                throw error
            }
            // It requested inside its namespace and got the reply on its own prefix.
            #expect(output.contains("PREFIX _INBOX_\(id)"))
            #expect(output.contains("REPLY pong"))
            // It answers requests inside its namespace (response permission).
            #expect(try await observer.request("a.echo", payload: Data("x".utf8), timeout: .seconds(5)).string == "echo x")
            // The server refused the wide inbox, the node's inbox and the control plane.
            let credential = try #require(output.split(separator: "\n").first { $0.hasPrefix("USER ") }?.dropFirst(5)).description
            try await setup.env.expectServerLogged("Subscription", user: credential, subject: "_INBOX.>")
            try await setup.env.expectServerLogged("Subscription", user: credential, subject: "_INBOX_node.>")
            try await setup.env.expectServerLogged("Publish", user: credential, subject: "$NEX.SVC.system.control.PING")
            service.unsubscribe()
        }
    }

    @Test func aFunctionIsTriggeredThroughItsOwnScopedConnection() async throws {
        try await withTeardown { teardown in
            let setup = try await Self.start(artifactBuckets: [])
            teardown.add { await setup.stop() }
            let upper = try NativeHarness.script(in: setup.directory, "upper", "tr a-z A-Z")
            let user = try setup.client("a")
            let id = try await user.deploy(nativeRequest(namespace: "a", lifecycle: .function, runRequest: runRequest(uri: "file://\(upper)"))).response.id
            // A member of namespace a calls it on its private inbox; the reply goes out through the response permission.
            let caller = try await setup.env.connect(try setup.env.minter().mintWorkload(namespace: "a", workloadID: "caller"), name: "caller")
            let reply = try await caller.request("a.\(id)", payload: Data("hello".utf8), timeout: .seconds(10))
            #expect(reply.string == "HELLO")
            #expect(reply.headers["workload_id"] == id)
            // Namespace b cannot even send the trigger.
            let outsider = try await setup.env.connect(try setup.env.minter().mintWorkload(namespace: "b", workloadID: "outsider"), name: "outsider")
            let outside = await #expect(throws: NatsError.self) {
                _ = try await outsider.request("a.\(id)", payload: Data("x".utf8), timeout: .milliseconds(500))
            }
            #expect(outside?.kind == .timeout && outside?.message == "request on a.\(id): timed out", "\(String(describing: outside))")
        }
    }
}
