import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct KeyValueTests {
    func store(_ server: NATSServer, bucket: String = "test", maxValueSize: Int32 = -1) async throws -> (NatsConnection, KeyValueStore) {
        let connection = try await connect(server)
        let js = try JetStream(connection)
        return (connection, try await js.createKeyValue(KeyValueConfig(bucket: bucket, history: 5, maxBytes: 1 << 20, maxValueSize: maxValueSize)))
    }

    @Test func putGetDeleteKeys() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        #expect(try await kv.keys().isEmpty)
        #expect(try await kv.get("missing") == nil)
        let first = try await kv.put("native_a", Data("one"))
        let second = try await kv.put("native_b", Data("two"))
        #expect(second > first)
        let entry = try #require(try await kv.get("native_a"))
        #expect(entry.value == Data("one"))
        #expect(entry.revision == first)
        #expect(entry.operation == .put)
        #expect(try await kv.keys() == ["native_a", "native_b"])
        try await kv.delete("native_a")
        #expect(try await kv.get("native_a") == nil)
        #expect(try await kv.keys() == ["native_b"])
        try await kv.purge("native_b")
        #expect(try await kv.keys().isEmpty)
    }

    @Test func entriesAreTheLatestLiveValuesSortedByKey() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        #expect(try await kv.entries().isEmpty)
        for index in (0..<300).reversed() {
            try await kv.put("native_\(String(format: "%03d", index))", Data("v1-\(index)"))
        }
        try await kv.put("native_005", Data("v2"))
        try await kv.put("other_1", Data("x"))
        try await kv.delete("native_007")
        try await kv.purge("native_008")
        let all = try await kv.entries()
        #expect(all.count == 299)
        #expect(all.map(\.key) == all.map(\.key).sorted())
        let native = try await kv.entries(prefix: "native_")
        #expect(native.count == 298)
        #expect(native.first { $0.key == "native_005" }?.value == Data("v2"))
        #expect(!native.contains { $0.key == "native_007" || $0.key == "native_008" })
    }

    @Test func updateWithStaleRevisionIsAConflict() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        let revision = try await kv.put("k", Data("v1"))
        let next = try await kv.update("k", Data("v2"), expectedRevision: revision)
        await #expect(throws: KeyValueConflict(bucket: "test", key: "k", expectedRevision: revision)) {
            try await kv.update("k", Data("v3"), expectedRevision: revision)
        }
        #expect(try await kv.get("k")?.value == Data("v2"))
        #expect(try await kv.get("k")?.revision == next)
    }

    @Test func createRefusesAnExistingKey() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        try await kv.create("once", Data("a"))
        await #expect(throws: KeyValueConflict.self) { try await kv.create("once", Data("b")) }
        // After a delete, create works again.
        try await kv.delete("once")
        try await kv.create("once", Data("c"))
        #expect(try await kv.get("once")?.value == Data("c"))
        // After a purge too; the revision a create returns is the entry's.
        try await kv.purge("once")
        let revision = try await kv.create("once", Data("d"))
        #expect(try await kv.get("once")?.revision == revision)
        // Keys nats.c refuses are refused, whichever path they take.
        let space = await #expect(throws: NatsError.self) { try await kv.create("bad key", Data("x")) }
        #expect(space?.kind == .invalidArgument && space?.message.contains("invalid key") == true, "\(String(describing: space))")
        let dot = await #expect(throws: NatsError.self) { try await kv.create(".dot", Data("x")) }
        #expect(dot?.kind == .invalidArgument && dot?.message.contains("invalid key") == true, "\(String(describing: dot))")
        #expect(try await kv.keys() == ["once"])
    }

    @Test func concurrentUpdatesExactlyOneWins() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        let base = try await kv.put("race", Data("0"))
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 1...8 {
                group.addTask {
                    do {
                        try await kv.update("race", Data("\(index)"), expectedRevision: base)
                        return true
                    } catch is KeyValueConflict {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }

    @Test func oversizeValueIsRejected() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server, maxValueSize: 16)
        await #expect(throws: NatsError.self) { try await kv.put("big", Data(repeating: 1, count: 1024)) }
        #expect(try await kv.get("big") == nil)
    }

    @Test func invalidKeyIsRejected() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        await #expect(throws: NatsError.self) { try await kv.put("has space", Data("x")) }
    }

    @Test func missingBucketIsNotFound() async throws {
        let server = try await NATSServer.start()
        let connection = try await connect(server)
        await #expect {
            _ = try await JetStream(connection).keyValue("nope")
        } throws: { error in
            (error as? NatsError)?.kind == .notFound
        }
    }

    @Test func watchDeliversSnapshotThenLiveChanges() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        try await kv.put("a", Data("1"))
        let watcher = try await kv.watch()
        let collected = try await withDeadline(.seconds(10), "watch") { () -> [KeyValueUpdate] in
            var updates: [KeyValueUpdate] = []
            for await update in watcher {
                updates.append(update)
                if update == .initialValuesDone {
                    try await kv.put("b", Data("2"))
                    try await kv.delete("a")
                }
                if updates.count == 4 { break }
            }
            return updates
        }
        watcher.stop()
        guard collected.count == 4,
              case .entry(let first) = collected[0],
              case .entry(let second) = collected[2],
              case .entry(let third) = collected[3] else {
            Issue.record("unexpected updates \(collected)")
            return
        }
        #expect(first.key == "a" && first.value == Data("1"))
        #expect(collected[1] == .initialValuesDone)
        #expect(second.key == "b" && second.operation == .put)
        #expect(third.key == "a" && third.operation == .delete)
    }

    @Test func bucketSurvivesServerRestart() async throws {
        let server = try await NATSServer.start()
        let (_, kv) = try await store(server)
        try await kv.put("durable", Data("yes"))
        try await server.restart()
        try await eventually("KV readable after restart") { (try? await kv.get("durable"))?.value == Data("yes") }
    }
}
