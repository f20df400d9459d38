import Foundation
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Testing

/// Every agent endpoint hit directly on NATS, as the Go `TestRunningRunner` does, with exact reply counts.
@Suite("SDK endpoints")
struct SDKEndpointTests {
    @Test("STOPWORKLOAD of an unknown workload: code 100, namespace not found, body workload not found")
    func stopUnknownWorkload() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let schemas = SchemaCheck()
            let node = harness.node.nodeID
            let reply = try await exchangeOnce(
                harness.client, NexSubject.agentStopWorkload(nodeID: node, workloadID: "abc123"),
                payload: try encode(StopWorkloadRequest(namespace: "default")), endpoint: "StopWorkload")
            #expect(reply.headers[NexHeader.serviceErrorCode] == "100")
            #expect(reply.headers[NexHeader.serviceError] == "namespace not found")
            #expect(reply.string == #"{"id":"abc123","message":"workload not found","stopped":false,"workload_type":"inmem"}"#)
            schemas.add("stop-workload-response.json", reply)

            // A workload unknown in a namespace that exists.
            harness.nexlet.seed(workloadID: "other", request: startRequest().request)
            let missing = try await exchangeOnce(
                harness.client, NexSubject.agentStopWorkload(nodeID: node, workloadID: "abc123"),
                payload: try encode(StopWorkloadRequest(namespace: "default")), endpoint: "StopWorkload")
            #expect(missing.headers[NexHeader.serviceError] == "workload not found")

            // An undecodable request is still exactly one error reply with the not-stopped body.
            let bad = try await exchangeOnce(
                harness.client, NexSubject.agentStopWorkload(nodeID: node, workloadID: "abc123"),
                payload: Data("{}".utf8), endpoint: "StopWorkload")
            #expect(bad.headers[NexHeader.serviceErrorCode] == "100")
            #expect(bad.headers[NexHeader.serviceError] == "field namespace in StopWorkloadRequest: required")
            #expect(bad.string == #"{"id":"abc123","message":"workload not found","stopped":false,"workload_type":"inmem"}"#)
            try await schemas.validate()
        }
    }

    @Test("STARTWORKLOAD, GETWORKLOAD, QUERYWORKLOADS, PING and STOPWORKLOAD round trip")
    func workloadRoundTrip() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let schemas = SchemaCheck()
            let node = harness.node.nodeID
            let events = try harness.client.subscribe(NexSubscription.events(from: "default"))
            try await harness.client.flush()

            let start = startRequest()
            let started = try await exchangeOnce(
                harness.client, NexSubject.agentStartWorkload(nodeID: node, agentID: harness.agentID, workloadID: "abc123"),
                payload: try encode(start), endpoint: "StartWorkload")
            #expect(started.string == #"{"id":"abc123","name":"test"}"#)
            #expect(started.headers.isEmpty)
            schemas.add("start-workload-response.json", started)
            #expect(harness.nexlet.workload(id: "abc123")?.request == start.request)

            let startedEvent = try #require(try await collect(events, count: 1).first)
            #expect(startedEvent.subject == "$NEX.FEED.default.events.WORKLOADSTARTED")
            #expect(startedEvent.string == #"{"id":"abc123","namespace":"default","workload_type":"inmem"}"#)
            schemas.add("event-workload-start.json", startedEvent)

            let fetched = try await exchangeOnce(
                harness.client, NexSubject.agentGetWorkload(nodeID: node, workloadID: "abc123"),
                payload: try encode(CloneWorkloadRequest(namespace: "default", newTargetXkey: "")), endpoint: "GetWorkload")
            #expect(try GoJSON.decode(StartWorkloadRequest.self, from: fetched.payload) == start.request)
            #expect(fetched.headers.isEmpty)
            schemas.add("start-workload-request.json", fetched)

            for namespace in ["default", "system"] {
                let listed = try await exchangeOnce(
                    harness.client, NexSubject.agentQueryWorkloads(nodeID: node),
                    payload: try encode(AgentListWorkloadsRequest(namespace: namespace, filter: [])), endpoint: "QueryWorkloads")
                let summaries = try GoJSON.decode([WorkloadSummary].self, from: listed.payload)
                #expect(summaries.map(\.id) == ["abc123"])
                #expect(summaries.first?.namespace == "default")
                #expect(summaries.first?.name == "test")
                schemas.add("agent-list-workloads-response.json", listed)
            }
            let elsewhere = try await exchangeOnce(
                harness.client, NexSubject.agentQueryWorkloads(nodeID: node),
                payload: try encode(AgentListWorkloadsRequest(namespace: "user", filter: nil)), endpoint: "QueryWorkloads")
            #expect(elsewhere.string == "[]")
            let filtered = try await exchangeOnce(
                harness.client, NexSubject.agentQueryWorkloads(nodeID: node),
                payload: try encode(AgentListWorkloadsRequest(namespace: "system", filter: ["nope"])), endpoint: "QueryWorkloads")
            #expect(filtered.string == "[]")

            for (subject, endpoint) in [
                (NexSubject.agentPing(nodeID: node, agentID: harness.agentID), "PingAgent"),
                (NexSubject.agentPingAll(nodeID: node), "PingAllAgents"),
            ] {
                let pong = try await exchangeOnce(harness.client, subject, endpoint: endpoint)
                #expect(pong.headers[NexHeader.agentID] == harness.agentID)
                let summary = try GoJSON.decode(AgentSummary.self, from: pong.payload)
                #expect(summary.name == "inmem")
                #expect(summary.type == "inmem")
                #expect(summary.version == "0.0.0")
                #expect(summary.state == "running")
                #expect(summary.supportedLifecycles == "service,job,function")
                #expect(summary.workloadCount == 1)
                schemas.add("agent-ping-response.json", pong)
            }

            let stopped = try await exchangeOnce(
                harness.client, NexSubject.agentStopWorkload(nodeID: node, workloadID: "abc123"),
                payload: try encode(StopWorkloadRequest(namespace: "default")), endpoint: "StopWorkload")
            #expect(stopped.string == #"{"id":"abc123","message":"","stopped":true,"workload_type":"inmem"}"#)
            #expect(stopped.headers.isEmpty)
            schemas.add("stop-workload-response.json", stopped)
            #expect(harness.nexlet.workloads.isEmpty)
            #expect(harness.nexlet.namespaces.isEmpty)

            let stoppedEvent = try #require(try await collect(events, count: 1).first)
            #expect(stoppedEvent.subject == "$NEX.FEED.default.events.WORKLOADSTOPPED")
            #expect(stoppedEvent.string == #"{"id":"abc123","namespace":"default","workload_type":"inmem"}"#)
            schemas.add("event-workload-stopped.json", stoppedEvent)

            // GETWORKLOAD of a workload that is not here: no reply at all.
            let silent = try await exchange(
                harness.client, NexSubject.agentGetWorkload(nodeID: node, workloadID: "abc123"),
                payload: try encode(CloneWorkloadRequest(namespace: "default", newTargetXkey: "")), endpoint: "GetWorkload")
            #expect(silent.isEmpty)
            try await schemas.validate()
        }
    }

    @Test("A failed start is one code-100 reply with the id and the requested name")
    func startFailures() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let subject = NexSubject.agentStartWorkload(nodeID: harness.node.nodeID, agentID: harness.agentID, workloadID: "abc123")

            harness.nexlet.failNextStart("boom")
            let failed = try await exchangeOnce(harness.client, subject, payload: try encode(startRequest()), endpoint: "StartWorkload")
            #expect(failed.headers[NexHeader.serviceErrorCode] == "100")
            #expect(failed.headers[NexHeader.serviceError] == "boom")
            #expect(failed.string == #"{"id":"abc123","name":"test"}"#)

            let undecodable = try await exchangeOnce(
                harness.client, subject, payload: Data(#"{"request":{"name":"half"}}"#.utf8), endpoint: "StartWorkload")
            #expect(undecodable.headers[NexHeader.serviceErrorCode] == "100")
            #expect(undecodable.headers[NexHeader.serviceError] == "field workload_creds in AgentStartWorkloadRequest: required")
            #expect(undecodable.string == #"{"id":"abc123","name":"half"}"#)
            #expect(harness.nexlet.counters.starts == 0)
        }
    }

    @Test("A lifecycle the nexlet did not declare is refused")
    func unsupportedLifecycle() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start(nexlet: InMemoryNexlet(supportedLifecycles: [.service, .job]))
            teardown.add { await harness.stop() }
            let reply = try await exchangeOnce(
                harness.client,
                NexSubject.agentStartWorkload(nodeID: harness.node.nodeID, agentID: harness.agentID, workloadID: "fn1"),
                payload: try encode(startRequest(lifecycle: .function)), endpoint: "StartWorkload")
            #expect(reply.headers[NexHeader.serviceErrorCode] == "100")
            #expect(reply.headers[NexHeader.serviceError] == "workload lifecycle function is not supported by this nexlet")
            #expect(harness.nexlet.counters.starts == 0)
        }
    }

    @Test("QUERYWORKLOADS with a bad body is exactly one error reply")
    func queryErrors() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let replies = try await exchange(
                harness.client, NexSubject.agentQueryWorkloads(nodeID: harness.node.nodeID), payload: Data("nope".utf8),
                endpoint: "QueryWorkloads")
            #expect(replies.count == 1)
            #expect(replies.first?.headers[NexHeader.serviceErrorCode] == "100")
            #expect(replies.first?.payload.isEmpty == true)
        }
    }

    @Test("SETLAMEDUCK: success with agentId, then no new starts and state lameduck; failures are one reply")
    func lameduck() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let schemas = SchemaCheck()
            let node = harness.node.nodeID
            harness.nexlet.seed(workloadID: "w1", request: startRequest().request)
            let events = try harness.client.subscribe(NexSubscription.events(from: "default"))
            try await harness.client.flush()

            let bad = try await exchangeOnce(
                harness.client, NexSubject.agentSetLameduck(nodeID: node), payload: Data(#"{"delay":"soon"}"#.utf8),
                endpoint: "SetLameduck")
            #expect(bad.headers[NexHeader.serviceErrorCode] == "100")
            #expect(bad.headers[NexHeader.agentID] == harness.agentID)
            #expect(try GoJSON.decode(LameduckResponse.self, from: bad.payload).success == false)

            let ok = try await exchangeOnce(
                harness.client, NexSubject.agentSetLameduck(nodeID: node), payload: try encode(LameduckRequest(delay: .seconds(1))),
                endpoint: "SetLameduck")
            #expect(ok.string == #"{"message":"","success":true}"#)
            #expect(ok.headers[NexHeader.agentID] == harness.agentID)
            #expect(ok.headers[NexHeader.serviceErrorCode] == nil)
            schemas.add("lameduck-response.json", ok)
            #expect(harness.nexlet.lameduckDelays == [.seconds(1)])
            #expect(harness.nexlet.workloads.isEmpty)
            let stoppedEvent = try #require(try await collect(events, count: 1).first)
            #expect(stoppedEvent.string == #"{"id":"w1","namespace":"default","workload_type":"inmem"}"#)

            let refused = try await exchangeOnce(
                harness.client, NexSubject.agentStartWorkload(nodeID: node, agentID: harness.agentID, workloadID: "late"),
                payload: try encode(startRequest()), endpoint: "StartWorkload")
            #expect(refused.headers[NexHeader.serviceErrorCode] == "100")
            #expect(refused.headers[NexHeader.serviceError] == "agent is in lameduck mode and accepts no new workloads")

            let pong = try await exchangeOnce(harness.client, NexSubject.agentPingAll(nodeID: node), endpoint: "PingAllAgents")
            #expect(try GoJSON.decode(AgentSummary.self, from: pong.payload).state == "lameduck")

            harness.nexlet.failNextLameduck("cannot drain")
            let failed = try await exchangeOnce(
                harness.client, NexSubject.agentSetLameduck(nodeID: node), payload: try encode(LameduckRequest(delay: .zero)),
                endpoint: "SetLameduck")
            #expect(failed.headers[NexHeader.serviceError] == "cannot drain")
            #expect(failed.string == #"{"message":"cannot drain","success":false}"#)
            try await schemas.validate()
        }
    }

    @Test("PINGWORKLOAD answers with the node id only when the workload is here")
    func workloadDiscovery() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            harness.nexlet.seed(workloadID: "here", request: startRequest().request)
            let found = try await exchangeOnce(
                harness.client, NexSubject.pingWorkload(nexus: "testnexus", workloadID: "here"), endpoint: "WorkloadDiscovery")
            #expect(found.string == #"{"node_id":"\#(harness.node.nodeID)"}"#)
            let absent = try await exchange(
                harness.client, NexSubject.pingWorkload(nexus: "testnexus", workloadID: "gone"), endpoint: "WorkloadDiscovery")
            #expect(absent.isEmpty)
        }
    }

    @Test("The micro service is named after the registration and lists every endpoint in queue group = agent id")
    func serviceInfo() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let info = try json(try await harness.client.request("$SRV.INFO.inmem"))
            #expect(info["name"] as? String == "inmem")
            #expect(info["version"] as? String == "0.0.0")
            let endpoints = try #require(info["endpoints"] as? [[String: Any]])
            #expect(endpoints.map { $0["name"] as? String } == [
                "StartWorkload", "StopWorkload", "GetWorkload", "QueryWorkloads", "PingAgent", "PingAllAgents", "SetLameduck",
                "WorkloadDiscovery",
            ])
            #expect(endpoints.allSatisfy { $0["queue_group"] as? String == harness.agentID })
            let node = harness.node.nodeID
            #expect(endpoints.map { $0["subject"] as? String } == [
                "$NEX.SVC.\(node).agent.\(harness.agentID).STARTWORKLOAD.*", "$NEX.SVC.\(node).agent.STOPWORKLOAD.*",
                "$NEX.SVC.\(node).agent.GETWORKLOAD.*", "$NEX.SVC.\(node).agent.QUERYWORKLOADS",
                "$NEX.SVC.\(node).agent.\(harness.agentID).PING", "$NEX.SVC.\(node).agent.PING",
                "$NEX.SVC.\(node).agent.SETLAMEDUCK", "$NEX.SVC.testnexus.agent.PINGWORKLOAD.*",
            ])
        }
    }
}
