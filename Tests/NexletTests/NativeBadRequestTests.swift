import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import Testing

/// Every bad start request is refused with a code-100 error that says what is wrong, and leaves nothing
/// behind: no process, no entry (not even a stuck `starting`), no process record.
@Suite struct NativeBadRequestTests {
    /// Checks that the nexlet holds and runs nothing.
    static func expectNothingLeft(_ harness: NativeHarness, marker: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await harness.nexlet.query(namespace: "system", filter: nil).isEmpty, sourceLocation: sourceLocation)
        #expect(await harness.nexlet.summary().workloadCount == 0, sourceLocation: sourceLocation)
        #expect(harness.processRecords.isEmpty, sourceLocation: sourceLocation)
        #expect(processes(containing: marker).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func badArtifactsThroughNodeAndClient() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let marker = harness.directory.lastPathComponent
            let notExecutable = try harness.script("plain", "echo never")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: notExecutable)
            let garbage = harness.directory.appendingPathComponent("garbage").path
            try Data([0x00, 0x01, 0x02, 0x03]).write(to: URL(fileURLWithPath: garbage))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: garbage)
            let missing = harness.directory.appendingPathComponent("missing").path
            let good = try harness.script("good", "sleep 300")

            let cases: [(String, String)] = [
                (runRequest(uri: "http://example.com/tool"),
                 "invalid uri; must be prefixed with file:// for local binary or nats:// to fetch an artifact: http://example.com/tool"),
                (runRequest(uri: good), "invalid uri; must be prefixed with file:// for local binary or nats:// to fetch an artifact: \(good)"),
                (runRequest(uri: "file://\(missing)"), "artifact file://\(missing) not found: no file at \(missing)"),
                (runRequest(uri: "file://\(harness.directory.path)"), "artifact path is a directory: \(harness.directory.path)"),
                (runRequest(uri: "file://\(notExecutable)"), "artifact is not executable: \(notExecutable)"),
                (runRequest(uri: "file://\(garbage)"), "failed to start the workload process: failed to start \(garbage): Exec format error (errno 8)"),
                (runRequest(uri: "nats://"), "invalid artifact uri nats://: expected nats://<bucket>/<name>[:<tag>]"),
                (runRequest(uri: "nats://b.c/x"), "invalid artifact uri nats://b.c/x: bucket \"b.c\" must be letters, digits, '_' and '-'"),
                (runRequest(uri: "file://\(good)", ["workdir": "relative/dir"]), "invalid workdir relative/dir: must be an absolute path"),
                (runRequest(uri: "file://\(good)", ["workdir": missing]), "invalid workdir \(missing): not an existing directory"),
                (runRequest(uri: "file://\(good)", environment: ["A=B": "x"]), "invalid environment: environment variable name \"A=B\" may not contain '=' or NUL"),
                (runRequest(uri: "file://\(good)", ["encrypted_environment": ["encrypted_by": "XNOTAKEY", "base64_encrypted_env": "!!!"]]),
                 "cannot open encrypted_environment with this nexlet's xkey: base64_encrypted_env is not valid base64"),
            ]
            for (request, message) in cases {
                await #expect {
                    _ = try await user.deploy(nativeRequest(runRequest: request))
                } throws: { error in
                    guard let error = error as? NexError else { return false }
                    if error.status != 100 || error.body != message { Issue.record("got \(error.status) \(error.body), expected \(message)") }
                    return error.status == 100
                }
                try await Self.expectNothingLeft(harness, marker: marker)
            }
            // The node checks the schema first: wrong types and broken JSON never reach the nexlet.
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: #"{"uri": 7}"#))
            } throws: { error in
                (error as? NexError)?.status == 400 && (error as? NexError)?.body == "failed to validate run request"
            }
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: #"{"uri": "file:///bin/true", "digest": "md5:abc"}"#))
            } throws: { error in
                (error as? NexError)?.status == 400
            }
        }
    }

    @Test func malformedRunRequestsSentStraightToTheAgent() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let nodeID = harness.node.id
            let agentID = try #require(await harness.runner.agentID)
            let good = try harness.script("good", "sleep 300")
            let cases: [(String, String)] = [
                ("not json", "invalid start request: run_request is not valid JSON"),
                ("[1,2]", "invalid start request: run_request must be a JSON object, got array"),
                ("{}", "invalid start request: \"uri\" is required"),
                (#"{"uri": 7}"#, "invalid start request: \"uri\" must be a string, got integer"),
                (#"{"uri": "file://\#(good)", "argv": ["a", 1]}"#, "invalid start request: \"argv\" must be an array of strings, item 1 is integer"),
                (#"{"uri": "file://\#(good)", "argv": "a"}"#, "invalid start request: \"argv\" must be an array of strings, got string"),
                (#"{"uri": "file://\#(good)", "environment": {"A": 1}}"#, "invalid start request: \"environment\" must map names to strings, \"A\" is integer"),
                (#"{"uri": "file://\#(good)", "expose_ports": [80.5]}"#, "invalid start request: \"expose_ports\" must be an array of integers, item 0 is number"),
                (#"{"uri": "file://\#(good)", "expose_ports": [70000]}"#, "invalid start request: \"expose_ports\" value 70000 is not a port number"),
                (#"{"uri": "file://\#(good)", "digest": "sha256:12"}"#, "invalid start request: \"digest\" must look like sha256:<64 hex digits>, got \"sha256:12\""),
                (#"{"uri": "file://\#(good)", "encrypted_environment": {"encrypted_by": "X"}}"#,
                 "invalid start request: \"encrypted_environment\" needs \"encrypted_by\" and \"base64_encrypted_env\""),
                (#"{"uri": "file://\#(good)", "workdir": false}"#, "invalid start request: \"workdir\" must be a string, got boolean"),
            ]
            for (index, (runRequest, message)) in cases.enumerated() {
                let body = AgentStartWorkloadRequest(request: nativeRequest(runRequest: runRequest))
                let reply = try await harness.connection.request(
                    NexSubject.agentStartWorkload(nodeID: nodeID, agentID: agentID, workloadID: "BAD\(index)"),
                    payload: try GoJSON.encode(body), timeout: .seconds(10))
                #expect(reply.headers["Nats-Service-Error-Code"] == "100")
                #expect(reply.headers["Nats-Service-Error"] == message)
                try await Self.expectNothingLeft(harness, marker: harness.directory.lastPathComponent)
            }
        }
    }

    @Test func workloadIdsAndNamespacesAreChecked() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let good = try harness.script("good", "sleep 300")
            let request = nativeRequest(runRequest: runRequest(uri: "file://\(good)"))
            await #expect(throws: NativeStartError.invalidWorkloadID("../escape")) {
                _ = try await harness.nexlet.start(workloadID: "../escape", request: AgentStartWorkloadRequest(request: request), replayed: false)
            }
            await #expect(throws: NativeStartError.missingNamespace) {
                _ = try await harness.nexlet.start(
                    workloadID: "NONAMESPACE", request: AgentStartWorkloadRequest(request: nativeRequest(namespace: "", runRequest: request.runRequest)),
                    replayed: false)
            }
            _ = try await harness.nexlet.start(workloadID: "TWICE", request: AgentStartWorkloadRequest(request: request), replayed: false)
            await #expect(throws: NativeStartError.duplicateWorkload("TWICE")) {
                _ = try await harness.nexlet.start(workloadID: "TWICE", request: AgentStartWorkloadRequest(request: request), replayed: false)
            }
            #expect(try await harness.nexlet.query(namespace: "user", filter: nil).count == 1)
        }
    }
}
