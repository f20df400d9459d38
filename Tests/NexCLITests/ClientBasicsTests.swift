import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

@Suite struct ClientBasicsTests {
    @Test func keepsConnectionAndNamespace() async throws {
        let server = try await NATSServer.start()
        let connection = try await connectTo(server)
        let client = try NexClient(connection: connection, namespace: "test")
        #expect(client.connection === connection)
        #expect(client.namespace == "test")
        #expect(!client.isSystem)
        #expect(try NexClient(connection: connection, namespace: "system").isSystem)
    }

    @Test func refusesANamespaceThatIsNotOneToken() async throws {
        let server = try await NATSServer.start()
        let connection = try await connectTo(server)
        for bad in ["", "a.b", "a*", "a b", ">"] {
            #expect {
                _ = try NexClient(connection: connection, namespace: bad)
            } throws: { error in
                (error as? NexError)?.status == 400
            }
        }
    }

    @Test func defaultOptionsBoundEveryWait() {
        let options = NexClientOptions()
        #expect(options.requestTimeout == .seconds(5))
        #expect(options.startWorkloadTimeout == .seconds(60))
        #expect(options.gather.firstReplyTimeout == .seconds(3))
        #expect(options.gather.totalTimeout == .seconds(10))
        #expect(options.auction.firstReplyTimeout == .seconds(1))
        #expect(options.auction.minimumStall == .milliseconds(20))
        #expect(options.auction.maximumStall == .seconds(1))
        #expect(options.auction.stallFactor == 4)
        #expect(options.auction.totalTimeout == .seconds(5))
        #expect(options.auction.inviteDeclines)
        #expect(options.auction.stopWhenAllNodesAnswered)
    }

    @Test func withChangesOnlyTheCopy() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "user")
        let changed = client.with { $0.auction.totalTimeout = .milliseconds(100) }
        #expect(changed.options.auction.totalTimeout == .milliseconds(100))
        #expect(client.options.auction.totalTimeout == .seconds(5))
    }

    @Test func badIDsAreRefusedBeforeAnythingIsSent() async throws {
        let server = try await NATSServer.start()
        let client = try NexClient(connection: try await connectTo(server), namespace: "system")
        let nodeID = await #expect(throws: NexError.self) { _ = try await client.nodeInfo(nodeID: "a.b") }
        #expect(nodeID?.status == 400 && nodeID?.body == "invalid node id" && nodeID?.error.hasPrefix("node id \"a.b\" contains '.'") == true, "\(String(describing: nodeID))")
        let workloadID = await #expect(throws: NexError.self) { _ = try await client.stopWorkload(id: "x>") }
        #expect(workloadID?.status == 400 && workloadID?.body == "invalid workload id" && workloadID?.error.hasPrefix("workload id \"x>\" contains '>'") == true, "\(String(describing: workloadID))")
        let emptyID = await #expect(throws: NexError.self) { _ = try await client.cloneWorkload(id: "") }
        #expect(emptyID?.status == 400 && emptyID?.body == "invalid workload id" && emptyID?.error == "workload id must not be empty", "\(String(describing: emptyID))")
        let namespace = await #expect(throws: NexError.self) { _ = try await client.auction(namespace: "a b", agentType: "inmem") }
        #expect(namespace?.status == 400 && namespace?.body == "invalid namespace" && namespace?.error.hasPrefix("namespace \"a b\" contains U+20") == true, "\(String(describing: namespace))")
        let emptyNamespace = await #expect(throws: NexError.self) {
            _ = try await client.startWorkload(inmemRequest(name: "x", namespace: ""), bidderID: "bid")
        }
        #expect(emptyNamespace?.status == 400 && emptyNamespace?.body == "invalid namespace" && emptyNamespace?.error == "namespace must not be empty", "\(String(describing: emptyNamespace))")
    }
}
