import Foundation
import JSONSchema
import NATSKit
import NATSTestSupport
import NexProtocol
import Testing

/// The workload commands against scripted nodes (there is no native nexlet yet, so a full
/// `node up` + `workload start` run is not possible from the binary).
@Suite("nex workload", .serialized)
struct CLIWorkloadTests {
    private static let uriSchema = #"""
        {"$schema": "http://json-schema.org/draft-07/schema#", "title": "StartRequest", "type": "object", "required": ["uri"],
         "properties": {"uri": {"type": "string"}, "argv": {"type": "array", "items": {"type": "string"}},
                        "environment": {"type": "object", "additionalProperties": {"type": "string"}}},
         "additionalProperties": false}
        """#

    private static let encryptedSchema = #"""
        {"type": "object", "required": ["uri"],
         "properties": {"uri": {"type": "string"},
                        "environment": {"type": "object"},
                        "encrypted_environment": {"type": "object", "required": ["encrypted_by", "base64_encrypted_env"]}}}
        """#

    private static let nexfile = """
        name: hello
        description: simple native service
        type: native
        lifecycle: service
        tags: {region: lab}
        start_request:
          uri: "file:///usr/local/bin/hello-service"
          argv: ["--listen=:8080"]
          environment: {LOG_LEVEL: info, TOKEN: "s3cret"}
        """

    @Test("no nodes answered: one line naming the type and namespace, with what to try")
    func noNodes() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let result = try await sandbox.run([
            "workload", "start", "--namespace", "user", "--start-request", #"{"uri":"file:///bin/true"}"#, "-s", server.url,
        ])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains(#"no nodes answered the auction for workload type "native" in namespace "user""#))
        #expect(result.stderr.contains("nex node list"))
    }

    @Test("a real node without a native nexlet declines: the reason is shown")
    func declined() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let node = try sandbox.start(["node", "up", "-s", server.url, "--disable-native-start"])
        try await node.waitForOutput("is ready")
        let result = try await sandbox.run(["workload", "run", "--start-request", #"{"uri":"file:///bin/true"}"#, "-s", server.url])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("declined"), "\(result)")
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("bad Nexfiles are refused before connecting", arguments: [
        ("broken.yaml", "name: [unclosed\n", "not valid YAML"),
        ("broken.json", "{\n  \"name\": \"x\",\n  \"type\": \"native\" \"lifecycle\": \"job\"\n}", "line 3, column 20"),
        ("typo.yaml", "name: x\nstartRequest: {uri: a}\n", "unknown key \"startRequest\""),
        ("lifecycle.yaml", "lifecycle: forever\nstart_request: {uri: a}\n", "lifecycle \"forever\""),
        ("tags.yaml", "tags: [a, b]\nstart_request: {uri: a}\n", "tags must be a mapping"),
        ("empty.yaml", "\n", "empty"),
    ])
    func badNexfile(name: String, text: String, expected: String) async throws {
        let sandbox = try CLISandbox()
        let file = try sandbox.write(name, text)
        let result = try await sandbox.run(["workload", "start", "-f", file.path, "-s", "nats://127.0.0.1:1"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains(file.path), "\(result)")
        #expect(result.stderr.contains(expected), "\(result)")
    }

    @Test("a missing Nexfile, no start request, and a start request that is not JSON")
    func missingDefinition() async throws {
        let sandbox = try CLISandbox()
        let missing = try await sandbox.run(["workload", "start", "-f", "nope.yaml"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("does not exist"))
        let nothing = try await sandbox.run(["workload", "start"])
        #expect(nothing.status == 64)
        #expect(nothing.stderr.contains("no start request"))
        let notJSON = try await sandbox.run(["workload", "start", "--start-request", "{uri: x"])
        #expect(notJSON.status == 64)
        #expect(notJSON.stderrLines.count == 1)
        #expect(notJSON.stderr.contains("--start-request is not valid JSON"))
    }

    @Test("a start request violating the winning bid's schema is refused before deploying")
    func schemaViolation() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server, .init(schema: Self.uriSchema))
        let sandbox = try CLISandbox()
        let result = try await sandbox.run([
            "workload", "start", "--start-request", #"{"argv": ["x"], "workdir": "/tmp"}"#, "-s", server.url,
        ])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("does not match the native nexlet's schema"), "\(result)")
        #expect(result.stderr.contains("uri"), "\(result)")
        #expect(bidder.deployed.isEmpty)
    }

    @Test("a lifecycle no bid supports is refused before deploying")
    func unsupportedLifecycle() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server, .init(lifecycles: [.job]))
        let sandbox = try CLISandbox()
        let result = try await sandbox.run([
            "workload", "start", "--lifecycle", "service", "--start-request", #"{"uri":"file:///bin/true"}"#, "-s", server.url,
        ])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("service lifecycle"), "\(result)")
        #expect(result.stderr.contains("job"), "\(result)")
        #expect(bidder.deployed.isEmpty)
    }

    @Test("a Nexfile from ./Nexfile is deployed; command-line flags win over it")
    func deployFromNexfile() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server, .init(schema: Self.uriSchema))
        let sandbox = try CLISandbox()
        try sandbox.write("Nexfile", Self.nexfile)
        let result = try await sandbox.run(["workload", "start", "--name", "from-flag", "--namespace", "team", "-s", server.url])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Workload from-flag ["), "\(result)")
        let request = try #require(bidder.deployed.first)
        #expect(request.name == "from-flag")
        #expect(request.description == "simple native service")
        #expect(request.namespace == "team")
        #expect(request.workloadType == "native")
        #expect(request.workloadLifecycle == .service)
        #expect(request.tags == ["region": "lab"])
        let runRequest = try JSONValue(parsing: request.runRequest)
        guard case .object(let members) = runRequest else { Issue.record("run_request is not an object"); return }
        #expect(members["uri"] == .string("file:///usr/local/bin/hello-service"))
        #expect(members["argv"] == .array([.string("--listen=:8080")]))
        // The schema has no encrypted_environment: the environment stays plain.
        #expect(try bidder.environment(of: request).plain == ["LOG_LEVEL": "info", "TOKEN": "s3cret"])
    }

    // issue 14: limits
    @Test("--memory, --cpu and --pids become the start request's limits, over the Nexfile's")
    func limitFlags() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server)
        let sandbox = try CLISandbox()
        try sandbox.write("Nexfile", Self.nexfile + "\n  limits: {memory: 32MiB, pids: 8}\n")
        let result = try await sandbox.run(["workload", "start", "--memory", "64MiB", "--cpu", "0.5", "-s", server.url])
        #expect(result.status == 0, "\(result)")
        let request = try #require(bidder.deployed.first)
        guard case .object(let members) = try JSONValue(parsing: request.runRequest) else { Issue.record("run_request is not an object"); return }
        #expect(members["limits"] == .object(["memory": .string("64MiB"), "cpu": .number(0.5), "pids": .integer(8)]), "\(request.runRequest)")
    }

    @Test("bad limit flags are usage errors naming the value, before connecting", arguments: [
        (["--memory", "lots"], "\"lots\" is not a size"),
        (["--cpu", "half"], "--cpu \"half\" is not a number"),
        (["--cpu=-1"], "limits.cpu"),
        (["--pids=-3"], "--pids"),
    ])
    func badLimitFlags(flags: [String], expected: String) async throws {
        let sandbox = try CLISandbox()
        let result = try await sandbox.run(["workload", "start", "--start-request", #"{"uri":"file:///bin/true"}"#] + flags)
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains(expected), "\(result)")
    }

    @Test("a Nexfile from stdin in JSON, printed as the wire response with --json")
    func deployFromStdin() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server)
        let sandbox = try CLISandbox()
        let json = #"{"name": "piped", "type": "native", "lifecycle": "job", "start_request": {"uri": "file:///bin/true"}}"#
        let result = try await sandbox.run(["workload", "deploy", "-f", "-", "--json", "-s", server.url], stdin: json)
        #expect(result.status == 0, "\(result)")
        let object = try #require(try result.json() as? [String: String], "\(result)")
        #expect(object["name"] == "piped")
        #expect(object["id"]?.isEmpty == false)
        #expect(bidder.deployed.first?.workloadLifecycle == .job)
    }

    @Test("the environment is sealed to the bid's xkey when the schema expects encrypted_environment, and only then")
    func encryptedEnvironment() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server, .init(schema: Self.encryptedSchema))
        let sandbox = try CLISandbox()
        try sandbox.write("Nexfile", Self.nexfile)

        let sealed = try await sandbox.run(["workload", "start", "-s", server.url])
        #expect(sealed.status == 0, "\(sealed)")
        let first = try #require(bidder.deployed.first)
        let opened = try bidder.environment(of: first)
        #expect(opened.plain == nil)
        #expect(opened.sealed == ["LOG_LEVEL": "info", "TOKEN": "s3cret"])
        #expect(!first.runRequest.contains("s3cret"))

        let plain = try await sandbox.run(["workload", "start", "--no-encrypt-env", "-s", server.url])
        #expect(plain.status == 0, "\(plain)")
        let second = try #require(bidder.deployed.last)
        #expect(try bidder.environment(of: second).plain == ["LOG_LEVEL": "info", "TOKEN": "s3cret"])
    }

    @Test("--encrypt-env against a schema that forbids it fails validation before deploying")
    func forcedEncryption() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server, .init(schema: Self.uriSchema))
        let sandbox = try CLISandbox()
        try sandbox.write("Nexfile", Self.nexfile)
        let result = try await sandbox.run(["workload", "start", "--encrypt-env", "-s", server.url])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("encrypted_environment"), "\(result)")
        #expect(bidder.deployed.isEmpty)
    }

    @Test("a nexlet that fails the start is reported as such")
    func agentFailure() async throws {
        let server = try await NATSServer.start()
        let bidder = try await CLIScriptedBidder.start(on: server, .init(agentError: "artifact not found"))
        let sandbox = try CLISandbox()
        let result = try await sandbox.run(["workload", "start", "--start-request", #"{"uri":"file:///nope"}"#, "-s", server.url])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("the native nexlet failed to start the workload: artifact not found"), "\(result)")
        #expect(bidder.deployed.count == 1)
    }

    @Test("start, list, info, clone --stop and stop against scripted nodes")
    func lifecycleOfAWorkload() async throws {
        let nexus = try await TestNexus.start(count: 2)
        let url = nexus.server.url
        let sandbox = try CLISandbox()
        let started = try await sandbox.run([
            "workload", "start", "--type", "inmem", "--name", "w1", "--namespace", "team", "--start-request", "{}", "--json", "-s", url,
        ])
        #expect(started.status == 0, "\(started)")
        let id = try #require((try started.json() as? [String: String])?["id"], "\(started)")

        let list = try await sandbox.run(["workload", "ls", "--json", "-s", url])
        let perNode = try #require(try list.json() as? [[[String: Any]]], "\(list)")
        #expect(perNode.flatMap { $0 }.contains { $0["id"] as? String == id && $0["namespace"] as? String == "team" })

        let table = try await sandbox.run(["workload", "ls", "--show-metadata", "-s", url])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("Running Workloads - system"))
        #expect(table.stdout.contains(id))
        #expect(table.stdout.contains("│ team "))

        let info = try await sandbox.run(["workload", "info", id, "-s", url])
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.contains("Workload \(id)"))
        #expect(info.stdout.contains("Namespace  team"))

        let clone = try await sandbox.run(["workload", "cp", id, "--stop", "--namespace", "team", "-s", url])
        #expect(clone.status == 0, "\(clone)")
        #expect(clone.stdout.contains("started as a copy of \(id)"))
        #expect(clone.stdout.contains("Original workload [\(id)] stopped"))
        let copyID = try #require(nexus.nodes.flatMap(\.workloads).first?.id)
        #expect(copyID != id)

        let stop = try await sandbox.run(["workload", "undeploy", copyID, "-s", url])
        #expect(stop.status == 0, "\(stop)")
        #expect(stop.stdout.contains("Workload \(copyID) stopped"))
        #expect(nexus.nodes.allSatisfy { $0.workloads.isEmpty })

        let again = try await sandbox.run(["workload", "stop", copyID, "-s", url])
        #expect(again.status == 1, "\(again)")
        #expect(again.stderrLines.count == 1)
        #expect(again.stderr.contains("workload \(copyID) not found"))

        let empty = try await sandbox.run(["workload", "ls", "-s", url])
        #expect(empty.stdout.contains("No workloads found"), "\(empty)")

        let cloneMissing = try await sandbox.run(["workload", "clone", copyID, "-s", url])
        #expect(cloneMissing.status == 1, "\(cloneMissing)")
        #expect(cloneMissing.stderrLines.count == 1)
        #expect(cloneMissing.stderr.contains("workload \(copyID) not found"), "\(cloneMissing)")
    }

    @Test("logs shows a workload's output: until quiet without --follow, until SIGINT with it")
    func logs() async throws {
        try await withTeardown { teardown in
            let nexus = try await TestNexus.start(count: 1)
            let url = nexus.server.url
            let id = "LOGTEST\(NUID.next())"
            nexus.nodes[0].insertWorkload(id: id, StartWorkloadRequest(
                name: "talker", namespace: "team", workloadType: "inmem", runRequest: "{}", tags: nil))
            let sandbox = try CLISandbox()
            let publisher = try await NatsConnection.connect(NatsConnectOptions(servers: [url]))
            teardown.add { await publisher.close() }

            let follower = try sandbox.start(["workload", "logs", id, "--follow", "--json", "-s", url])
            try await eventually("log line shown", timeout: .seconds(30), poll: .milliseconds(100)) {
                if let status = follower.exitStatus {
                    throw CLITestFailure("nex workload logs exited (\(status)): \(follower.stderr)")
                }
                try publisher.publish(NexSubject.logs(namespace: "team", workloadID: id, stream: .stdout), payload: Data("hello\n".utf8))
                return follower.stdout.contains(#""data":"hello\n""#)
            }
            #expect(follower.stdout.contains(#""stream":"stdout""#))
            follower.signal(SIGINT)
            #expect(await follower.waitForExit(timeout: .seconds(10)) == 0)

            let quiet = try await sandbox.run(["workload", "logs", id, "--quiet-period", "300ms", "-s", url], timeout: .seconds(20))
            #expect(quiet.status == 0, "\(quiet)")
        }
    }
}
