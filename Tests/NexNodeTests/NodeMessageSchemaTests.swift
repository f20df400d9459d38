import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexletTestSupport
import NexNode
import NexProtocol
import Testing

/// Every kind of message a node sends, captured from the wire and validated against the spec's schemas.
@Suite struct NodeMessageSchemaTests {
    @Test func repliesAndEventsMatchTheSchemas() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let observer = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "observer"))
            let events = try observer.subscribe("$NEX.FEED.*.events.*", buffering: .unbounded)
            try await observer.flush()
            let nexlet = InMemoryNexlet()
            let harness = try await NodeHarness.start(server: server) { options, _ in
                options.embed(nexlet)
                options.emitter = NatsEventEmitter(connection: observer)
                // The raw REGISTER below is a Go nexlet's (unsigned).
                options.allowLegacyNexlets = true
            }
            teardown.add { await harness.stop() }
            let node = harness.node.id
            let schemas = SchemaCheck()

            schemas.add("node-ping-response.json", try await harness.request(NexSubject.pingNode(namespace: "system", nodeID: node), NodePingRequest(filter: nil)))
            let info = try await harness.request(NexSubject.info(namespace: "system", nodeID: node), NodeInfoRequest())
            #expect(try info.decode(NodeInfoResponse.self).nodeAgentSummaries?.count == 1)
            schemas.add("node-info-response.json", info)
            schemas.add("shared-tag-map.json", try await harness.requestRaw(NexSubject.placementTags(namespace: "system"), Data()))

            let user = try NexClient(connection: harness.client, namespace: "user")
            let bid = try await harness.request(NexSubject.auction(namespace: "user"), AuctionRequest(agentType: "inmem", tags: [:]))
            schemas.add("auction-response.json", bid)
            let deployed = try await user.startWorkload(
                StartWorkloadRequest(name: "w", namespace: "user", workloadType: "inmem", runRequest: "{}"),
                bid: try bid.decode(AuctionResponse.self))
            schemas.add("start-workload-response.json", json: try GoJSON.encode(deployed), label: "ADEPLOY reply")
            schemas.add("agent-list-workloads-response.json", try await harness.request(NexSubject.workloadPing(namespace: "user"), AgentListWorkloadsRequest(namespace: "user")))
            schemas.add("stop-workload-response.json", try await harness.request(NexSubject.undeploy(namespace: "user", workloadID: deployed.id), StopWorkloadRequest(namespace: "user")))
            schemas.add("shared-generic-errors.json", json: Data(#""workload not found""#.utf8), label: "generic error")

            // A raw registration, as a Go nexlet would send it.
            let registration = RegisterAgentRequest(
                name: "raw", registerType: "raw", version: "0.0.1", description: "raw", maxWorkloads: 0,
                publicXkey: nexlet.registration.publicXkey, startRequestSchema: "{}", supportedLifecycles: [.service])
            schemas.add("register-agent-response.json", try await harness.request(NexSubject.register(nodeID: node, agentID: "rawagent"), registration))

            let lameduck = try await harness.request(NexSubject.lameduck(namespace: "system", nodeID: node), LameduckRequest(delay: .seconds(60)))
            schemas.add("lameduck-response.json", lameduck)
            await harness.node.shutdown()

            // Events: the node's and the nexlet's (which publishes workload events on its own connection).
            let expected: Set<String> = ["NODESTARTED", "AGENTSTARTED", "WORKLOADSTARTED", "WORKLOADSTOPPED", "NODELAMEDUCKSET", "AGENTLAMEDUCKSET", "AGENTSTOPPED", "NODESTOPPED"]
            let schemaOf = [
                "NODESTARTED": "event-nex-started.json", "NODESTOPPED": "event-nex-stopped.json",
                "NODELAMEDUCKSET": "event-nex-lameduckset.json", "AGENTLAMEDUCKSET": "event-agent-lameduckset.json",
                "AGENTSTARTED": "event-agent-started.json", "AGENTSTOPPED": "event-agent-stopped.json",
                "WORKLOADSTARTED": "event-workload-start.json", "WORKLOADSTOPPED": "event-workload-stopped.json",
            ]
            let seen = try await withDeadline(.seconds(10), "events") { () -> [NatsMessage] in
                var seen: [NatsMessage] = []
                for await event in events {
                    seen.append(event)
                    if Set(seen.compactMap { $0.subject.split(separator: ".").last.map(String.init) }).isSuperset(of: expected) { break }
                }
                return seen
            }
            for event in seen {
                guard let name = event.subject.split(separator: ".").last.map(String.init), let schema = schemaOf[name] else { continue }
                schemas.add(schema, event)
            }
            #expect(schemas.count >= 18)
            try await schemas.validate()
        }
    }
}
