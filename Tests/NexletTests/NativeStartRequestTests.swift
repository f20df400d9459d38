import Foundation
import JSONSchema
import Minter
import NATSTestSupport
import Nexlet
import NexProtocol
import Testing

/// The native nexlet's identity, start-request schema and parsing, without processes.
@Suite struct NativeStartRequestTests {
    @Test func registrationDescribesTheNativeNexlet() throws {
        let seed = try #require(try NexletXKey.generate().seed)
        let nexlet = try NativeNexlet(options: NativeNexletOptions(xkeySeed: seed))
        let registration = nexlet.registration
        #expect(registration.name == "nexlet-native")
        #expect(registration.registerType == "native")
        #expect(registration.version == "0.1.0")
        #expect(registration.description == "Runs workloads as subprocesses on the host machine")
        #expect(registration.maxWorkloads == 0)
        #expect(registration.supportedLifecycles == [.service, .job, .function])
        #expect(registration.startRequestSchema == NativeStartRequestSchema.text)
        // The xkey comes from the seed, so it survives restarts.
        #expect(registration.publicXkey == (try NexletXKey(seed: seed)).publicKey)
        #expect(try NativeNexlet(options: NativeNexletOptions(xkeySeed: seed)).publicXkey == registration.publicXkey)
        #expect(throws: NexletRunnerError.self) { _ = try NativeNexlet(options: NativeNexletOptions(name: "has space")) }
    }

    @Test func schemaExtendsTheReferenceSchemaUnchanged() throws {
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(NativeStartRequestSchema.text.utf8)) as? [String: Any])
        let reference = try #require(
            try JSONSerialization.jsonObject(with: Data(try SpecDirectory.read("schema/native-start-request.json").utf8)) as? [String: Any])
        #expect(ours["title"] as? String == reference["title"] as? String)
        #expect(ours["required"] as? [String] == reference["required"] as? [String])
        let ourProperties = try #require(ours["properties"] as? [String: Any])
        let referenceProperties = try #require(reference["properties"] as? [String: Any])
        for (key, value) in referenceProperties {
            let mine = try #require(ourProperties[key], "\(key) kept")
            #expect(NSDictionary(dictionary: mine as? [String: Any] ?? [:]).isEqual(to: value as? [String: Any] ?? [:]), "\(key) unchanged")
        }
        #expect(Set(ourProperties.keys).subtracting(referenceProperties.keys) == ["digest", "encrypted_environment", "workdir", "trigger_subject", "limits"])
    }

    @Test func schemaAcceptsAndRejectsLikePythonJsonschema() throws {
        let documents = [
            #"{"uri":"file:///bin/true"}"#,
            #"{"uri":"nats://b/n:t","argv":["a"],"environment":{"A":"B"},"expose_ports":[80],"description":"d"}"#,
            #"{"uri":"file:///x","digest":"sha256:\#(String(repeating: "aB", count: 32))"}"#,
            #"{"uri":"file:///x","digest":"sha256:abc"}"#,
            #"{"uri":"file:///x","encrypted_environment":{"encrypted_by":"X"}}"#,
            #"{"uri":"file:///x","encrypted_environment":{"encrypted_by":"X","base64_encrypted_env":"e"}}"#,
            #"{"uri":7}"#,
            #"{"argv":[]}"#,
            #"{"uri":"file:///x","argv":[1]}"#,
            #"{"uri":"file:///x","workdir":false}"#,
            #"{"uri":"file:///x","environment":{"A":1}}"#,
        ]
        let schema = try JSONSchema(string: NativeStartRequestSchema.text)
        let ours = try documents.map { try schema.validate(data: Data($0.utf8)).isEmpty }
        let script = """
            import json, sys, jsonschema
            schema = json.loads(sys.argv[1])
            jsonschema.Draft7Validator.check_schema(schema)
            validator = jsonschema.Draft7Validator(schema, format_checker=None)
            for line in sys.stdin.read().splitlines():
                print("ok" if validator.is_valid(json.loads(line)) else "bad")
            """
        let output = try PythonRunner.run(script: script, arguments: [NativeStartRequestSchema.text], stdin: Data(documents.joined(separator: "\n").utf8))
        #expect(output.status == 0, "\(output.stderr)")
        let python = output.stdout.split(separator: "\n").map { $0 == "ok" }
        #expect(ours == python)
        #expect(ours == [true, true, true, false, false, true, false, false, false, false, false])
    }

    @Test func artifactURIs() throws {
        #expect(try ArtifactReference(uri: "file:///usr/bin/x") == .file(path: "/usr/bin/x"))
        #expect(try ArtifactReference(uri: "file://rel/x") == .file(path: "rel/x"))
        let tagged = try ArtifactReference(uri: "nats://mybins/testnats:foo")
        #expect(tagged == .objectStore(bucket: "mybins", name: "testnats", tag: "foo"))
        #expect(tagged.objectName == "testnats_foo")
        let latest = try ArtifactReference(uri: "nats://mybins/tool")
        #expect(latest.objectName == "tool_latest")
        #expect(latest.uri == "nats://mybins/tool:latest")
        #expect(try ArtifactReference(uri: "nats://b/dir/name:v1:x") == .objectStore(bucket: "b", name: "dir/name", tag: "v1:x"))
        #expect(throws: NativeStartError.unsupportedURI("/usr/bin/x")) { _ = try ArtifactReference(uri: "/usr/bin/x") }
        #expect(throws: NativeStartError.unsupportedURI("oci://image")) { _ = try ArtifactReference(uri: "oci://image") }
        #expect(throws: NativeStartError.invalidURI(uri: "file://", reason: "no path after file://")) { _ = try ArtifactReference(uri: "file://") }
        #expect(throws: NativeStartError.invalidURI(uri: "nats://b/x:", reason: "empty tag after ':'")) { _ = try ArtifactReference(uri: "nats://b/x:") }
        #expect(throws: NativeStartError.invalidURI(uri: "nats://b/", reason: "no object name after the bucket")) { _ = try ArtifactReference(uri: "nats://b/") }
    }

    @Test func digests() throws {
        let hex = String(repeating: "0f", count: 32)
        let digest = try ArtifactDigest(parsing: "sha256:\(hex.uppercased())")
        #expect(digest.hex == hex)
        #expect(digest.description == "sha256:\(hex)")
        #expect(digest.bytes.count == 32)
        for bad in ["sha256:", "sha256:0f", "md5:\(hex)", "sha256:\(hex)00", "sha256:\(String(repeating: "zz", count: 32))"] {
            #expect(throws: NativeStartError.self) { _ = try ArtifactDigest(parsing: bad) }
        }
    }

    @Test func parsingKeepsEveryField() throws {
        let parsed = try NativeStartRequest(parsing: """
            {"uri":"nats://b/n","argv":["-v"],"environment":{"A":"1"},"description":"d","expose_ports":[8080,9090],
             "digest":"sha256:\(String(repeating: "ab", count: 32))","encrypted_environment":{"encrypted_by":"XK","base64_encrypted_env":"Zm9v"},
             "workdir":"/tmp","trigger_subject":"ns.fn","unknown":{"ignored":true}}
            """)
        #expect(parsed.uri == "nats://b/n")
        #expect(parsed.argv == ["-v"])
        #expect(parsed.environment == ["A": "1"])
        #expect(parsed.description == "d")
        #expect(parsed.exposePorts == [8080, 9090])
        #expect(parsed.digest?.hex == String(repeating: "ab", count: 32))
        #expect(parsed.encryptedEnvironment == EncEnv(encryptedBy: "XK", base64EncryptedEnv: "Zm9v"))
        #expect(parsed.workdir == "/tmp")
        #expect(parsed.triggerSubject == "ns.fn")
        // JSON null counts as absent.
        #expect(try NativeStartRequest(parsing: #"{"uri":"file:///x","argv":null}"#).argv == [])
    }

    @Test func environmentPrecedence() {
        let credentials = NatsConnectionData(natsServers: ["nats://s:4222"], natsUserSeed: "SUSEED", natsInboxPrefix: "_INBOX_W1")
        let environment = WorkloadEnvironment.build(
            path: "/bin", user: ["PATH": "/opt/bin", "NEX_WORKLOAD_ID": "spoofed", "NEX_WORKLOAD_NATS_INBOX_PREFIX": "_INBOX", "X": "y"],
            credentials: credentials,
            workloadID: "W1", namespace: "ns")
        #expect(environment["PATH"] == "/opt/bin", "the user may set PATH")
        #expect(environment["NEX_WORKLOAD_ID"] == "W1", "but not the NEX_WORKLOAD_ variables")
        #expect(environment["NEX_WORKLOAD_NAMESPACE"] == "ns")
        #expect(environment["NEX_WORKLOAD_NATS_NKEY"] == "SUSEED")
        #expect(environment["NEX_WORKLOAD_NATS_B64_JWT"] == "")
        #expect(environment["NEX_WORKLOAD_NATS_INBOX_PREFIX"] == "_INBOX_W1")
        #expect(environment["X"] == "y")
    }
}
