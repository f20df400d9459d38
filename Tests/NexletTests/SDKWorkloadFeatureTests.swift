import Foundation
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Testing

/// Re-adoption of `existing_state`, function triggers and the log/metrics feeds.
@Suite("SDK workload features")
struct SDKWorkloadFeatureTests {
    @Test("existing_state is replayed in the background with existing = true, events and triggers")
    func replaying() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let client = try await connect(server, name: "node")
            teardown.add { await client.close() }
            let events = try client.subscribe("$NEX.FEED.*.events.WORKLOADSTARTED")
            let existing: [String: AgentStartWorkloadRequest] = [
                "svc1": startRequest(name: "one", namespace: "alpha", credentials: serversOnly(server)),
                "fn1": startRequest(name: "two", namespace: "beta", lifecycle: .function, credentials: serversOnly(server)),
            ]
            let node = try await ScriptedNode.start(on: client, answer: .accept(serversOnly(server), existing: existing))
            let nexlet = InMemoryNexlet()
            let runner = NexletRunner(runtime: nexlet, options: testOptions())
            teardown.add { await runner.stop() }
            try await runner.run(agentID: NUID.next(), nodeID: node.nodeID, registration: serversOnly(server))
            await runner.waitUntilReplayed()

            #expect(nexlet.workloads.map(\.id) == ["svc1", "fn1"])
            #expect(nexlet.workloads.allSatisfy { $0.replayed })
            #expect(nexlet.counters.replays == 2)
            #expect(nexlet.workload(id: "fn1")?.request == existing["fn1"]?.request)
            #expect(nexlet.workload(id: "svc1")?.credentials == serversOnly(server))

            let started = try await collect(events, count: 2)
            #expect(Set(started.map(\.subject)) == ["$NEX.FEED.alpha.events.WORKLOADSTARTED", "$NEX.FEED.beta.events.WORKLOADSTARTED"])
            let schemas = SchemaCheck()
            for event in started { schemas.add("event-workload-start.json", event) }
            try await schemas.validate()

            // The replayed function answers its trigger.
            let reply = try await client.request("fn1", payload: Data("go".utf8))
            #expect(reply.string == InMemoryNexlet.functionReply)
        }
    }

    @Test("A function workload's trigger replies with headers, emits WORKLOADTRIGGERED and goes away on stop")
    func functionTrigger() async throws {
        try await withTeardown { teardown in
            let harness = try await Harness.start()
            teardown.add { await harness.stop() }
            let schemas = SchemaCheck()
            let node = harness.node.nodeID
            let events = try harness.client.subscribe(NexSubscription.events(from: "system"))
            try await harness.client.flush()

            let deploy = startRequest(name: "inmemfunc", namespace: "system", lifecycle: .function, credentials: serversOnly(harness.server))
            let started = try await exchangeOnce(
                harness.client, NexSubject.agentStartWorkload(nodeID: node, agentID: harness.agentID, workloadID: "fn42"),
                payload: try encode(deploy), endpoint: "StartWorkload")
            #expect(started.string == #"{"id":"fn42","name":"inmemfunc"}"#)
            #expect(await harness.nexlet.host?.triggerSubject(workloadID: "fn42") == "fn42")

            // Triggered at once after the deploy reply (the Go TestFunctionStartWorkloadAndTrigger).
            let reply = try await harness.client.request("fn42", payload: Data("payload".utf8))
            #expect(reply.string == "Function executed successfully")
            #expect(reply.headers[NexHeader.triggerWorkloadID] == "fn42")
            #expect(reply.headers[NexHeader.triggerNamespace] == "system")
            #expect(reply.headers[NexHeader.triggerError] == nil)

            harness.nexlet.failNextTrigger("function crashed")
            let failed = try await harness.client.request("fn42", payload: Data("payload".utf8))
            #expect(failed.headers[NexHeader.triggerError] == "function crashed")
            #expect(failed.headers[NexHeader.triggerWorkloadID] == "fn42")
            #expect(failed.payload.isEmpty)

            // A plain publish runs the function without a reply.
            try harness.client.publish("fn42", payload: Data("fire and forget".utf8))
            let received = try await collect(events, count: 4)
            let triggered = received.filter { $0.subject == "$NEX.FEED.system.events.WORKLOADTRIGGERED" }
            #expect(triggered.count == 3)
            for event in triggered {
                let decoded = try GoJSON.decode(WorkloadTriggeredEvent.self, from: event.payload)
                #expect(decoded.id == "fn42")
                #expect(decoded.namespace == "system")
                #expect(decoded.duration >= 0)
                schemas.add("event-workload-trigger.json", event)
            }
            try await eventually("three invocations") { harness.nexlet.counters.triggers == 3 }

            let stopped = try await exchangeOnce(
                harness.client, NexSubject.agentStopWorkload(nodeID: node, workloadID: "fn42"),
                payload: try encode(StopWorkloadRequest(namespace: "system")), endpoint: "StopWorkload")
            #expect(stopped.string == #"{"id":"fn42","message":"","stopped":true,"workload_type":"inmem"}"#)
            #expect(await harness.nexlet.host?.triggerSubject(workloadID: "fn42") == nil)
            await #expect(throws: NatsError.self) { _ = try await harness.client.request("fn42", timeout: .seconds(2)) }
            try await schemas.validate()
        }
    }

    @Test("Trigger connections use the workload's credentials; bad ones fail the start and roll it back")
    func triggerCredentials() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false, extraConfig: registrationAuthConfig))
            teardown.add { await server.stop() }
            let client = try await connect(server, name: "node", auth: .userPassword(user: "node", password: "node-pw"))
            teardown.add { await client.close() }
            let agent = NatsConnectionData(natsServers: [server.url], natsUserName: "agent", natsUserPassword: "agent-pw")
            let node = try await ScriptedNode.start(on: client, answer: .accept(agent, existing: [:]))
            let nexlet = InMemoryNexlet()
            let runner = NexletRunner(runtime: nexlet, options: testOptions())
            let agentID = NUID.next()
            try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: agent)

            let good = NatsConnectionData(natsServers: [server.url], natsUserName: "workload", natsUserPassword: "workload-pw")
            let started = try await client.request(
                NexSubject.agentStartWorkload(nodeID: node.nodeID, agentID: agentID, workloadID: "good"),
                payload: try encode(startRequest(lifecycle: .function, credentials: good)))
            #expect(started.headers[NexHeader.serviceErrorCode] == nil)
            #expect(try await client.request("good").string == InMemoryNexlet.functionReply)

            let bad = NatsConnectionData(natsServers: [server.url], natsUserName: "workload", natsUserPassword: "wrong")
            let refused = try await client.request(
                NexSubject.agentStartWorkload(nodeID: node.nodeID, agentID: agentID, workloadID: "bad"),
                payload: try encode(startRequest(lifecycle: .function, credentials: bad)))
            #expect(refused.headers[NexHeader.serviceErrorCode] == "100")
            #expect(refused.headers[NexHeader.serviceError]?.hasPrefix("failed to register the function trigger on bad:") == true)
            #expect(nexlet.workload(id: "bad") == nil)
            #expect(nexlet.workload(id: "good") != nil)
            await runner.stop()
            // Stopping the runner removes the remaining trigger.
            await #expect(throws: NatsError.self) { _ = try await client.request("good", timeout: .seconds(2)) }
        }
    }

    @Test("Workload output and metrics go to the feeds with the group and namespace headers")
    func feeds() async throws {
        let harness = try await Harness.start()
        harness.nexlet.seed(workloadID: "w1", request: startRequest(namespace: "user").request)
        // Read with a raw socket: nats.c 3.4.1 misparses the empty `synadia.com/group` value on receipt.
        let tap = try RawNatsTap(port: harness.server.port, subject: "$NEX.FEED.user.>")

        #expect(harness.nexlet.publishOutput(workloadID: "w1", text: "hello\n"))
        #expect(harness.nexlet.publishOutput(workloadID: "w1", text: "oops", stream: .stderr))
        #expect(harness.nexlet.publishMetrics(workloadID: "w1", json: #"{"cpu":0.5}"#))
        #expect(harness.nexlet.publishOutput(workloadID: "missing", text: "x") == false)

        let received = try await tap.next(3)
        #expect(received.map(\.subject) == [
            "$NEX.FEED.user.logs.w1.stdout", "$NEX.FEED.user.logs.w1.stderr", "$NEX.FEED.user.metrics.w1",
        ])
        #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == ["hello\n", "oops", #"{"cpu":0.5}"#])
        for message in received {
            #expect(message.headerLines.sorted() == ["synadia.com/group: ", "synadia.com/namespace: user"])
            #expect(message.headers == ["synadia.com/group": [""], "synadia.com/namespace": ["user"]])
        }
        await harness.stop()
        // After the runner stopped, the host is gone from the nexlet and nothing crashes.
        #expect(harness.nexlet.host == nil)
        #expect(harness.nexlet.publishOutput(workloadID: "w1", text: "late") == false)
    }

    @Test("Events go to a custom emitter when one is given")
    func customEmitter() async throws {
        try await withTeardown { teardown in
            let recorded = RecordingEmitter()
            let harness = try await Harness.start(options: testOptions(events: .custom(recorded)))
            teardown.add { await harness.stop() }
            let reply = try await harness.client.request(
                NexSubject.agentStartWorkload(nodeID: harness.node.nodeID, agentID: harness.agentID, workloadID: "w9"),
                payload: try encode(startRequest(namespace: "ns9")))
            #expect(reply.headers.isEmpty)
            // The event may be emitted just after the reply went out.
            try await eventually("WORKLOADSTARTED recorded", timeout: .seconds(10)) { !recorded.events.all.isEmpty }
            #expect(recorded.events.all.map(\.from) == ["ns9"])
            #expect(recorded.events.all.map(\.name) == ["WORKLOADSTARTED"])
        }
    }
}

/// Records events instead of publishing them.
final class RecordingEmitter: EventEmitter {
    let events = Recorder<(name: String, from: String, json: Data)>()

    func emit<Event: NexEvent>(_ event: Event, from: String) {
        events.append((Event.eventName.rawValue, from, (try? GoJSON.encode(event)) ?? Data()))
    }
}
