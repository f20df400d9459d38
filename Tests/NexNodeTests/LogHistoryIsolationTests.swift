import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import OperatorTestSupport
import Testing

// issue 14: log history
/// The history streams in operator mode with the signing-key minter: the operator reads every namespace's
/// history, a workload of namespace A reads none (it has no JetStream API at all) and cannot write a line
/// into anyone's history, since only nexlets and nodes may publish feed subjects.
@Suite struct LogHistoryIsolationTests {
    /// Collects the records of a history feed up to and including `.caughtUp`.
    static func history(_ feed: NexHistoryFeed<WorkloadLogChunk>) async throws -> [String] {
        try await withDeadline(.seconds(10), "history read") {
            var texts: [String] = []
            for await record in feed {
                switch record {
                case .record(let chunk, _, _): texts.append(chunk.text)
                case .caughtUp:
                    feed.cancel()
                    return texts
                }
            }
            return texts
        }
    }

    @Test func aWorkloadCredentialCannotReadOrWriteAnotherNamespacesHistory() async throws {
        try await withTeardown { teardown in
            let (env, node, nexlet, operatorConnection) = try await OperatorModeNodeTests.start(lifetime: .seconds(3600))
            teardown.add { await node.shutdown() }
            let a = try await NexClient(connection: operatorConnection, namespace: "a").deploy(OperatorModeNodeTests.request(namespace: "a"), tags: nil).response.id
            let b = try await NexClient(connection: operatorConnection, namespace: "b").deploy(OperatorModeNodeTests.request(namespace: "b"), tags: nil).response.id
            // The nexlet publishes the workloads' output with its own (agent) credentials.
            #expect(nexlet.publishOutput(workloadID: b, text: "secret of b\n"))
            #expect(nexlet.publishOutput(workloadID: a, text: "line of a\n"))
            let operatorClient = try NexClient(connection: operatorConnection, namespace: "b")
            // Positive control: the operator's client reads b's history, the line the nexlet published included.
            try await eventually("b's line stored") {
                try await Self.history(try await operatorClient.workloadLogHistory(workloadID: b, window: HistoryWindow())) == ["secret of b\n"]
            }

            let credsA = try #require(nexlet.workload(id: a)?.credentials)
            let workloadA = try await NatsConnection.connect(try credsA.connectOptions(defaultName: "workload-a"))
            teardown.add { await workloadA.close() }
            let watch = ViolationWatch(workloadA)
            let userA = try KeyPair(seed: credsA.natsUserSeed, expecting: .user).publicKey

            // Reading b's history (and its own: workloads get no JetStream API) is refused by the server.
            let clientA = try NexClient(connection: workloadA, namespace: "a").with { $0.requestTimeout = .seconds(2) }
            for (namespace, id) in [("b", b), ("a", a)] {
                await #expect(throws: FeedHistoryUnavailable.self) {
                    _ = try await clientA.workloadLogHistory(namespace: namespace, workloadID: id, window: HistoryWindow())
                }
                #expect(try await watch.next().kind == .notPermitted)
            }
            try await env.expectServerLogged("Publish", user: userA, subject: "$JS.API.CONSUMER.CREATE.\(FeedHistoryStreams.logs)")
            // Nor any other JetStream API that would read a stream: info, message get, direct get.
            for subject in [
                "$JS.API.STREAM.INFO.\(FeedHistoryStreams.logs)", "$JS.API.STREAM.MSG.GET.\(FeedHistoryStreams.logs)",
                "$JS.API.DIRECT.GET.\(FeedHistoryStreams.logs)", "$JS.API.STREAM.NAMES",
            ] {
                try workloadA.publish(subject, payload: Data("{}".utf8))
                #expect(try await watch.next().kind == .notPermitted)
                try await env.expectServerLogged("Publish", user: userA, subject: subject)
            }
            // Injection: a's workload cannot publish into b's (or its own) log feed, nor forge an event.
            for subject in [
                NexSubject.logs(namespace: "b", workloadID: b, stream: .stdout), NexSubject.logs(namespace: "a", workloadID: a, stream: .stderr),
                "$NEX.FEED.b.events.WORKLOADSTOPPED",
            ] {
                try workloadA.publish(subject, payload: Data("forged\n".utf8))
                #expect(try await watch.next().kind == .notPermitted)
                try await env.expectServerLogged("Publish", user: userA, subject: subject)
            }
            // What its namespace's subjects carry is not captured either.
            try workloadA.publish("a.logs.\(a).stdout", payload: Data("forged\n".utf8))
            try await workloadA.flush()
            // The nexlet's next line is stored after anything the server accepted before it.
            #expect(nexlet.publishOutput(workloadID: b, text: "second of b\n"))
            try await eventually("b's second line stored") {
                try await Self.history(try await operatorClient.workloadLogHistory(workloadID: b, window: HistoryWindow())).count == 2
            }
            #expect(try await Self.history(try await operatorClient.workloadLogHistory(workloadID: b, window: HistoryWindow())) == ["secret of b\n", "second of b\n"])
            let aClient = try NexClient(connection: operatorConnection, namespace: "a")
            #expect(try await Self.history(try await aClient.workloadLogHistory(workloadID: a, window: HistoryWindow())) == ["line of a\n"])
            let js = try JetStream(operatorConnection)
            let logs = try #require(try await js.streamInfo(FeedHistoryStreams.logs))
            #expect(logs.messages == 3)
        }
    }
}
