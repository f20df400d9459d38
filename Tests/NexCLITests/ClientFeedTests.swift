import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

/// The log and event feeds (protocol.md §1.3, §5.4, §5.5).
@Suite struct ClientFeedTests {
    /// Takes `count` elements from `feed`, failing after 5 s.
    func take<Element: Sendable>(_ count: Int, from feed: NexFeed<Element>) async throws -> [Element] {
        try await withDeadline(.seconds(5), "\(count) feed elements") {
            var taken: [Element] = []
            for await element in feed {
                taken.append(element)
                if taken.count == count { break }
            }
            return taken
        }
    }

    @Test func logsOfOneWorkloadWithTheirStreams() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let agent = try await connectTo(server, name: "agent")
        let feed = try await client.workloadLogs(workloadID: "W1")
        var headers = NatsHeaders()
        headers.set(NexHeader.group, "")
        headers.set(NexHeader.namespace, "user")
        try agent.publish(NexSubject.logs(namespace: "user", workloadID: "W2", stream: .stdout), payload: Data("other\n".utf8), headers: headers)
        try agent.publish(NexSubject.logs(namespace: "other", workloadID: "W1", stream: .stdout), payload: Data("foreign\n".utf8), headers: headers)
        try agent.publish(NexSubject.logs(namespace: "user", workloadID: "W1", stream: .stdout), payload: Data("hello\n".utf8), headers: headers)
        try agent.publish(NexSubject.logs(namespace: "user", workloadID: "W1", stream: .stderr), payload: Data([0xFF, 0x00, 0x41]), headers: headers)
        let chunks = try await take(2, from: feed)
        #expect(chunks.map(\.stream) == [.stdout, .stderr])
        #expect(chunks[0].text == "hello\n")
        #expect(chunks[1].bytes == Data([0xFF, 0x00, 0x41]))
        #expect(chunks.allSatisfy { $0.workloadID == "W1" && $0.namespace == "user" })
    }

    @Test func logsOfEveryWorkloadOfANamespace() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "system")
        let agent = try await connectTo(server, name: "agent")
        let feed = try await client.workloadLogs(namespace: "user")
        try agent.publish(NexSubject.logs(namespace: "user", workloadID: "A", stream: .stdout), payload: Data("a".utf8))
        try agent.publish(NexSubject.metrics(namespace: "user", workloadID: "A"), payload: Data("{}".utf8))
        try agent.publish(NexSubject.logs(namespace: "user", workloadID: "B", stream: .stderr), payload: Data("b".utf8))
        let chunks = try await take(2, from: feed)
        #expect(chunks.map(\.workloadID) == ["A", "B"])
        #expect(chunks.map(\.text) == ["a", "b"])
    }

    @Test func cancellingEndsTheFeed() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let feed = try await client.workloadLogs(workloadID: "W")
        feed.cancel()
        let rest = try await withDeadline(.seconds(5)) { () -> Int in
            var count = 0
            for await _ in feed { count += 1 }
            return count
        }
        #expect(rest == 0)
    }

    @Test func eventsFromANamespaceWithNamesAndRawJSON() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let publisher = try await connectTo(server, name: "node")
        let feed = try await client.events(from: "user")
        let stopped = WorkloadStoppedEvent(id: "W", namespace: "user", workloadType: "native", error: WorkloadStoppedEventError(code: "1", message: "exit"))
        try publisher.publish(NexNodeStartedEvent.subject(from: "NNODE"), payload: try GoJSON.encode(NexNodeStartedEvent(id: "NNODE", name: "n", nexus: "x", tags: nil)))
        try publisher.publish(WorkloadStartedEvent.subject(from: "user"), payload: try GoJSON.encode(WorkloadStartedEvent(id: "W", namespace: "user", workloadType: "native")))
        try publisher.publish(WorkloadStoppedEvent.subject(from: "user"), payload: try GoJSON.encode(stopped))
        let events = try await take(2, from: feed)
        #expect(events.map(\.name) == ["WORKLOADSTARTED", "WORKLOADSTOPPED"])
        #expect(events.allSatisfy { $0.from == "user" })
        #expect(try events[1].decode(WorkloadStoppedEvent.self) == stopped)
        #expect(try events[1].decode(WorkloadStartedEvent.self) == nil)
        #expect(try events[0].decode(WorkloadStartedEvent.self)?.id == "W")
    }

    @Test func eventsFromEveryone() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "system")
        let publisher = try await connectTo(server, name: "node")
        let feed = try await client.events()
        try publisher.publish(NexNodeStoppedEvent.subject(from: "NNODE"), payload: try GoJSON.encode(NexNodeStoppedEvent(id: "NNODE")))
        try publisher.publish(NexSubject.ingress(agentID: "AGENT"), payload: Data("{}".utf8))
        let events = try await take(2, from: feed)
        #expect(events.map(\.from) == ["NNODE", "AGENT"])
        #expect(events.map(\.name) == ["NODESTOPPED", "INGRESS"])
        #expect(try events[0].decode(NexNodeStoppedEvent.self)?.id == "NNODE")
    }

    @Test func feedsRefuseBadTokens() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let workloadID = await #expect(throws: NexError.self) { _ = try await client.workloadLogs(workloadID: "a.b") }
        #expect(workloadID?.status == 400 && workloadID?.body == "invalid workload id" && workloadID?.error.hasPrefix("workload id \"a.b\" contains '.'") == true, "\(String(describing: workloadID))")
        let namespace = await #expect(throws: NexError.self) { _ = try await client.workloadLogs(namespace: "*") }
        #expect(namespace?.status == 400 && namespace?.body == "invalid namespace" && namespace?.error.hasPrefix("namespace \"*\" contains '*'") == true, "\(String(describing: namespace))")
        let source = await #expect(throws: NexError.self) { _ = try await client.events(from: ">") }
        #expect(source?.status == 400 && source?.body == "invalid event source" && source?.error.hasPrefix("event source \">\" contains '>'") == true, "\(String(describing: source))")
    }
}
