import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// The object store reader/writer against a real nats-server, and against nats.py as an independent
/// implementation of the same layout.
@Suite struct ObjectStoreTests {
    func bucket(_ server: NATSServer, _ name: String = "bins") async throws -> (NatsConnection, ObjectStore) {
        let connection = try await connect(server)
        let js = try JetStream(connection)
        return (connection, try await js.createObjectStore(ObjectStoreConfig(bucket: name)))
    }

    static func pattern(_ count: Int, seed: UInt8 = 7) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ $0 / 251) })
    }

    @Test func putAndGetAcrossChunkBoundaries() async throws {
        let server = try await NATSServer.start()
        let (_, store) = try await bucket(server)
        for (name, size, chunk) in [("exact", 4000, 1000), ("ragged", 4321, 1000), ("single", 10, 1000), ("empty", 0, 1000)] {
            let data = Self.pattern(size)
            let written = try await store.put(name, data: data, chunkSize: chunk)
            #expect(written.size == UInt64(size))
            #expect(written.chunks == (size + chunk - 1) / chunk)
            #expect(written.sha256 == SHA256.hash(data))
            let read = try await store.get(name)
            #expect(read.data == data)
            #expect(read.info.nuid == written.nuid)
            #expect(try await store.info(name)?.digest == written.digest)
        }
    }

    @Test func missingThingsAreReportedPrecisely() async throws {
        let server = try await NATSServer.start()
        let (connection, store) = try await bucket(server)
        #expect(try await store.info("nothing") == nil)
        await #expect(throws: ObjectStoreError.objectNotFound(bucket: "bins", name: "nothing")) {
            _ = try await store.get("nothing")
        }
        let js = try JetStream(connection)
        let absent = try js.objectStore("absent")
        await #expect(throws: ObjectStoreError.bucketNotFound(bucket: "absent")) { _ = try await absent.get("x") }
        #expect(throws: ObjectStoreError.invalidBucketName("a.b")) { _ = try js.objectStore("a.b") }
        await #expect(throws: ObjectStoreError.invalidObjectName("")) { _ = try await store.get("") }
    }

    @Test func overwriteAndDelete() async throws {
        let server = try await NATSServer.start()
        let (connection, store) = try await bucket(server)
        let first = try await store.put("tool", data: Self.pattern(3000), chunkSize: 1000)
        let second = try await store.put("tool", data: Self.pattern(1500, seed: 9), chunkSize: 1000)
        #expect(first.nuid != second.nuid)
        #expect(try await store.get("tool").data == Self.pattern(1500, seed: 9))
        // The first version's chunks were purged: only the meta message and two chunks remain.
        let info = try await connection.request(
            "$JS.API.STREAM.INFO.OBJ_bins", payload: Data(), timeout: .seconds(5))
        let state = try #require(try JSONSerialization.jsonObject(with: info.payload) as? [String: Any])["state"] as? [String: Any]
        #expect(state?["messages"] as? Int == 3)

        try await store.delete("tool")
        #expect(try await store.info("tool") == nil)
        #expect(try await store.info("tool", showDeleted: true)?.deleted == true)
        await #expect(throws: ObjectStoreError.objectNotFound(bucket: "bins", name: "tool")) { _ = try await store.get("tool") }
    }

    @Test func corruptObjectsAreRejected() async throws {
        let server = try await NATSServer.start()
        let (connection, store) = try await bucket(server)
        let data = Self.pattern(2500)
        var info = try await store.put("bad", data: data, chunkSize: 1000)
        let metaSubject = "$O.bins.M.\(Data("bad".utf8).base64EncodedString())"

        // A digest that does not match the chunks.
        info.digest = "SHA-256=" + Data(SHA256.hash(Data("other".utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        try await publishToStream(connection, metaSubject, try JSONEncoder().encode(info))
        await #expect {
            _ = try await store.get("bad")
        } throws: { error in
            guard case .digestMismatch(_, _, let expected, let actual) = error as? ObjectStoreError else { return false }
            return actual == SHA256.hash(data).map { String(format: "%02x", $0) }.joined() && expected != actual
        }

        // A size that does not match the chunks.
        info = try await store.put("bad", data: data, chunkSize: 1000)
        info.size = 2000
        try await publishToStream(connection, metaSubject, try JSONEncoder().encode(info))
        await #expect(throws: ObjectStoreError.sizeMismatch(bucket: "bins", name: "bad", expected: 2000, actual: 2000 + 500)) {
            _ = try await store.get("bad")
        }

        // Metadata that is not JSON.
        try await publishToStream(connection, metaSubject, Data("garbage".utf8))
        await #expect {
            _ = try await store.get("bad")
        } throws: { error in
            if case .badMetadata = error as? ObjectStoreError { return true }
            return false
        }
    }

    @Test func sizeLimitIsCheckedBeforeReading() async throws {
        let server = try await NATSServer.start()
        let (_, store) = try await bucket(server)
        try await store.put("big", data: Self.pattern(5000))
        await #expect(throws: ObjectStoreError.tooLarge(bucket: "bins", name: "big", size: 5000, limit: 4999)) {
            _ = try await store.get("big", maximumSize: 4999)
        }
        #expect(try await store.get("big", maximumSize: 5000).data.count == 5000)
    }

    @Test func linksAreFollowed() async throws {
        let server = try await NATSServer.start()
        let (connection, store) = try await bucket(server)
        let data = Self.pattern(1200)
        try await store.put("target", data: data)
        let link = ObjectInfo(
            name: "alias", bucket: "bins", nuid: "LINKNUID", size: 0, chunks: 0, digest: nil,
            options: ObjectMetaOptions(link: ObjectLink(bucket: "bins", name: "target")))
        try await publishToStream(connection, "$O.bins.M.\(Data("alias".utf8).base64EncodedString())", try JSONEncoder().encode(link))
        let read = try await store.get("alias")
        #expect(read.data == data)
        #expect(read.info.name == "target")

        let bucketLink = ObjectInfo(
            name: "dir", bucket: "bins", nuid: "LINKNUID2", size: 0, chunks: 0, digest: nil,
            options: ObjectMetaOptions(link: ObjectLink(bucket: "bins")))
        try await publishToStream(connection, "$O.bins.M.\(Data("dir".utf8).base64EncodedString())", try JSONEncoder().encode(bucketLink))
        await #expect(throws: ObjectStoreError.linkToBucket(bucket: "bins", name: "dir")) { _ = try await store.get("dir") }
    }

    @Test func downloadWritesAVerifiedFileOrNothing() async throws {
        let server = try await NATSServer.start()
        let (connection, store) = try await bucket(server)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("objdl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = Self.pattern(300_000)
        try await store.put("app", data: data)
        let path = directory.appendingPathComponent("app").path
        let info = try await store.download("app", to: path, permissions: 0o755)
        #expect(info.size == 300_000)
        #expect(FileManager.default.contents(atPath: path) == data)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o755)

        var corrupt = info
        corrupt.digest = "SHA-256=" + String(repeating: "A", count: 43) + "="
        try await publishToStream(connection, "$O.bins.M.\(Data("app".utf8).base64EncodedString())", try JSONEncoder().encode(corrupt))
        let other = directory.appendingPathComponent("corrupt").path
        await #expect(throws: ObjectStoreError.self) { try await store.download("app", to: other) }
        #expect(!FileManager.default.fileExists(atPath: other))
    }

    /// The subjects a reader of bucket `locked` needs (what an agent's credentials must allow to fetch `nats://`
    /// artifacts; wildcards only work for whole tokens, so `OBJ_*` is no pattern: name the buckets or use `*`).
    static let readerPermissions = """
        authorization {
          users = [
            {user: "writer", password: "w"}
            {user: "reader", password: "r", permissions: {
              publish: {allow: ["$JS.API.STREAM.MSG.GET.OBJ_locked", "$JS.API.CONSUMER.CREATE.OBJ_locked",
                                "$JS.API.CONSUMER.CREATE.OBJ_locked.>", "$JS.API.CONSUMER.DELETE.OBJ_locked.>", "$JS.FC.OBJ_locked.>"]}
              subscribe: {allow: ["_INBOX.>"]}
            }}
          ]
        }
        """

    @Test func readingNeedsOnlyMessageGetAndAnOrderedConsumer() async throws {
        let server = try await NATSServer.start(NATSServerOptions(extraConfig: Self.readerPermissions))
        let writer = try await connect(server, name: "writer", auth: .userPassword(user: "writer", password: "w"))
        let store = try await JetStream(writer).createObjectStore(ObjectStoreConfig(bucket: "locked"))
        let data = Self.pattern(600_000)  // several chunks, enough for flow control to kick in
        try await store.put("artifact", data: data, chunkSize: 32 * 1024)
        let reader = try await connect(server, name: "reader", auth: .userPassword(user: "reader", password: "r"))
        let readable = try JetStream(reader).objectStore("locked")
        #expect(try await readable.get("artifact").data == data)
        #expect(try await readable.info("missing") == nil)
    }

    // MARK: Cross-checks with nats.py

    @Test func readsWhatNatsPyWrites() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        let data = Self.pattern(400_000, seed: 3)  // 4 chunks of 128 KiB in nats.py
        let output = try PythonRunner.run(script: Self.pythonPut, arguments: [server.url, "pybins", "tool_latest"], stdin: data)
        #expect(output.status == 0, "\(output.stderr)")
        let store = try JetStream(connection).objectStore("pybins")
        let read = try await store.get("tool_latest")
        #expect(read.data == data)
        #expect(read.info.chunks == 4)
        #expect(read.info.digest == output.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func natsPyReadsWhatWeWrite() async throws {
        let server = try await NATSServer.start()
        let (_, store) = try await bucket(server, "swbins")
        let data = Self.pattern(250_000, seed: 5)
        try await store.put("made in swift", data: data, chunkSize: 64 * 1024)
        let output = try PythonRunner.run(script: Self.pythonGet, arguments: [server.url, "swbins", "made in swift"])
        #expect(output.status == 0, "\(output.stderr)")
        let expected = SHA256.hash(data).map { String(format: "%02x", $0) }.joined()
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(data.count) \(expected)")
    }

    @Test func sha256MatchesKnownVectorsAndHashlib() throws {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Incremental updates of every split give the same digest as Python's hashlib.
        let data = Array(Self.pattern(1000, seed: 11))
        let output = try PythonRunner.run(
            script: "import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin: Data(data))
        let expected = output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hex(SHA256.hash(data)) == expected)
        for split in [1, 55, 56, 63, 64, 65, 127, 500] {
            var hasher = SHA256()
            var offset = 0
            while offset < data.count {
                let end = min(offset + split, data.count)
                hasher.update(Array(data[offset..<end]))
                offset = end
            }
            #expect(hex(hasher.finalize()) == expected, "split \(split)")
        }
    }

    // MARK: Helpers

    /// Publishes raw bytes into the stream (as a rollup of the subject, like a metadata update) and waits for the ack.
    func publishToStream(_ connection: NatsConnection, _ subject: String, _ payload: Data) async throws {
        let ack = try await connection.request(subject, payload: payload, headers: ["Nats-Rollup": "sub"], timeout: .seconds(5))
        #expect(!ack.string.contains("error"), "\(ack.string)")
    }

    static let pythonPut = """
        import asyncio, sys
        import nats

        async def main():
            nc = await nats.connect(sys.argv[1])
            js = nc.jetstream()
            store = await js.create_object_store(sys.argv[2])
            info = await store.put(sys.argv[3], sys.stdin.buffer.read())
            print(info.digest)
            await nc.close()

        asyncio.run(main())
        """

    static let pythonGet = """
        import asyncio, hashlib, sys
        import nats

        async def main():
            nc = await nats.connect(sys.argv[1])
            js = nc.jetstream()
            store = await js.object_store(sys.argv[2])
            result = await store.get(sys.argv[3])
            print(len(result.data), hashlib.sha256(result.data).hexdigest())
            await nc.close()

        asyncio.run(main())
        """
}
