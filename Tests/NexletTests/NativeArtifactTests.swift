import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import Testing

/// `nats://` artifacts from a JetStream object store and digest checks, through a real node and client.
@Suite struct NativeArtifactTests {
    static let program = Data("#!/bin/sh\necho \"hello from the object store, args: $*\"\n".utf8)
    static var programDigest: String { "sha256:" + hex(SHA256.hash(program)) }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func natsArtifactWrittenByNatsPyRuns() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let output = try PythonRunner.run(script: Self.pythonPut, arguments: [harness.server.url, "mybins", "hello_v1"], stdin: Self.program)
            #expect(output.status == 0, "\(output.stderr)")
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let events = try await EventLog(user, from: "user")
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(
                uri: "nats://mybins/hello:v1", argv: ["a", "b"], ["digest": Self.programDigest])))
            let id = deployed.response.id
            #expect(try await events.waitForStopped(id).error == nil)
            try await logs.waitFor("hello from the object store, args: a b", in: id)
            // Cached by digest, executable and read-only.
            let cached = harness.directory.appendingPathComponent("state/artifacts/sha256-\(Self.programDigest.dropFirst(7))").path
            #expect(FileManager.default.contents(atPath: cached) == Self.program)
            #expect(try FileManager.default.attributesOfItem(atPath: cached)[.posixPermissions] as? Int == 0o555)
        }
    }

    @Test func natsArtifactWithTheDefaultTagWrittenByOurWriterRuns() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let store = try await JetStream(harness.connection).createObjectStore(ObjectStoreConfig(bucket: "tools"))
            try await store.put("greeter_latest", data: Self.program, chunkSize: 16)
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "nats://tools/greeter")))
            try await logs.waitFor("hello from the object store", in: deployed.response.id)
        }
    }

    @Test func wrongDigestIsRefusedAndLeavesNothing() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let store = try await JetStream(harness.connection).createObjectStore(ObjectStoreConfig(bucket: "bins"))
            try await store.put("tool_latest", data: Self.program)
            let user = try harness.client()
            let wrong = "sha256:" + String(repeating: "ab", count: 32)
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "nats://bins/tool", ["digest": wrong])))
            } throws: { error in
                guard let error = error as? NexError else { return false }
                return error.status == 100 && error.body.contains("has digest \(Self.programDigest)") && error.body.contains(wrong)
            }
            // A file:// artifact with the wrong digest is refused the same way.
            let local = try harness.script("local", "echo local")
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(local)", ["digest": wrong])))
            } throws: { error in
                (error as? NexError)?.status == 100 && (error as? NexError)?.body.contains("requires \(wrong)") == true
            }
            #expect(try await user.listWorkloads().get().all.isEmpty)
            #expect(harness.processRecords.isEmpty)
            let cache = harness.directory.appendingPathComponent("state/artifacts").path
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []).isEmpty, "no partial downloads left")
        }
    }

    @Test func missingObjectsAndBucketsAreRefusedClearly() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            _ = try await JetStream(harness.connection).createObjectStore(ObjectStoreConfig(bucket: "empty"))
            let user = try harness.client()
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "nats://empty/ghost:v2")))
            } throws: { error in
                (error as? NexError)?.body == "artifact nats://empty/ghost:v2 not found: no object ghost_v2 in object store empty"
            }
            await #expect {
                _ = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "nats://nobucket/tool")))
            } throws: { error in
                (error as? NexError)?.body == "artifact nats://nobucket/tool not found: object store bucket nobucket does not exist"
            }
            #expect(try await user.listWorkloads().get().all.isEmpty)
        }
    }

    @Test func fileArtifactWithDigestRunsTheVerifiedCopy() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let path = harness.directory.appendingPathComponent("original").path
            try Self.program.write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)  // not even executable
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(
                uri: "file://\(path)", ["digest": Self.programDigest.uppercased().replacingOccurrences(of: "SHA256:", with: "sha256:")])))
            try await logs.waitFor("hello from the object store", in: deployed.response.id)
        }
    }

    static let pythonPut = """
        import asyncio, sys
        import nats

        async def main():
            nc = await nats.connect(sys.argv[1])
            js = nc.jetstream()
            store = await js.create_object_store(sys.argv[2])
            await store.put(sys.argv[3], sys.stdin.buffer.read())
            await nc.close()

        asyncio.run(main())
        """
}
