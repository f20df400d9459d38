import Foundation
import NATSKit
import NATSTestSupport
import NexNode
import NexProtocol
import Testing

@Suite struct KVWorkloadStateTests {
    func workload(_ id: String, type: String, namespace: String) -> StoredWorkload {
        StoredWorkload(workloadID: id, workloadType: type, request: StartWorkloadRequest(
            name: "w-\(id)", namespace: namespace, workloadType: type, workloadLifecycle: .service, runRequest: #"{"uri":"file:///bin/true"}"#))
    }

    @Test func storeListRemoveLikeTheReference() async throws {
        let server = try await NATSServer.start()
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        let state = try await KVWorkloadState.open(connection: connection, nodeID: "NTESTNODE")
        #expect(state.store.bucket == "nex-NTESTNODE")
        #expect(try await state.all().isEmpty)
        try await state.save(workload("workload1", type: "foo", namespace: "goo"))
        try await state.save(workload("workload2", type: "bar", namespace: "goo"))
        try await state.save(workload("workload3", type: "foobar", namespace: "goo"))
        #expect(try await state.store.keys() == ["bar_workload2", "foo_workload1", "foobar_workload3"])
        // The full `<type>_` prefix: type foo does not match foobar.
        #expect(try await state.workloads(ofType: "foo").map(\.workloadID) == ["workload1"])
        let stored = try #require(try await state.workloads(ofType: "bar").first)
        #expect(stored.request.namespace == "goo")
        #expect(stored.request.name == "w-workload2")
        // The value is the request's Go JSON, byte for byte.
        let raw = try #require(try await state.store.get("bar_workload2"))
        #expect(raw.value == (try GoJSON.encode(stored.request)))
        try await state.remove(workloadType: "foo", workloadID: "workload1")
        try await state.remove(workloadType: "", workloadID: "workload3")
        #expect(try await state.store.keys() == ["bar_workload2"])
        try await state.remove(workloadType: "bar", workloadID: "workload2")
        #expect(try await state.all().isEmpty)
    }

    @Test func aWorkloadIDIsWrittenOnlyOnce() async throws {
        let server = try await NATSServer.start()
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        let state = try await KVWorkloadState.open(connection: connection, nodeID: "NTESTNODE")
        try await state.save(workload("same", type: "native", namespace: "a"))
        await #expect(throws: KeyValueConflict.self) { try await state.save(self.workload("same", type: "native", namespace: "b")) }
        #expect(try await state.all().first?.request.namespace == "a")
    }

    @Test func reopeningBindsToTheSameBucket() async throws {
        let server = try await NATSServer.start()
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        let first = try await KVWorkloadState.open(connection: connection, nodeID: "NSAME")
        try await first.save(workload("w", type: "native", namespace: "a"))
        let second = try await KVWorkloadState.open(connection: connection, nodeID: "NSAME")
        #expect(try await second.all().map(\.workloadID) == ["w"])
    }

    @Test func readAllReportsWhatItSkipsAndReplaceOverwritesByID() async throws {
        let server = try await NATSServer.start()
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        let missing = await #expect(throws: NatsError.self) { _ = try await KVWorkloadState.bind(connection: connection, nodeID: "NNOBUCKET") }
        #expect(missing?.kind == .notFound)
        let state = try await KVWorkloadState.open(connection: connection, nodeID: "NREAD")
        try await state.save(workload("good", type: "native", namespace: "a"))
        _ = try await state.store.put("nounderscore", Data("{}".utf8))
        _ = try await state.store.put("native_broken", Data("not json".utf8))
        let bound = try await KVWorkloadState.bind(connection: connection, nodeID: "NREAD")
        #expect(bound.bucket == "nex-NREAD")
        let read = try await bound.readAll()
        #expect(read.workloads.map(\.workloadID) == ["good"])
        #expect(read.unreadable.count == 2)
        #expect(read.unreadable.first { $0.key == "nounderscore" }?.problem == .keyFormat)
        let broken = try #require(read.unreadable.first { $0.key == "native_broken" })
        guard case .value(let reason) = broken.problem else {
            Issue.record("native_broken: \(broken.problem)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(try await bound.all().map(\.workloadID) == ["good"])
        #expect(try await bound.storedWorkloadIDs() == ["good", "broken"])

        // The same id under another type is replaced, not kept next to it; a new id is added.
        try await bound.replace([workload("good", type: "other", namespace: "b"), workload("fresh", type: "native", namespace: "c")])
        let keys = try await bound.store.keys()
        #expect(!keys.contains("native_good") && keys.contains("other_good") && keys.contains("native_fresh"), "\(keys)")
        let replaced = try #require(try await bound.all().first { $0.workloadID == "good" })
        #expect(replaced.workloadType == "other" && replaced.request.namespace == "b")
    }
}
