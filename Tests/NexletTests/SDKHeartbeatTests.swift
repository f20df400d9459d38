import Foundation
import NATSKit
import NATSTestSupport
import Nexlet
import NexletTestSupport
import NexProtocol
import Synchronization
import Testing

@Suite("SDK heartbeats", .serialized)
struct SDKHeartbeatTests {
    @Test("Heartbeats come every interval and stop with stop()")
    func cadenceAndStop() async throws {
        try await withTeardown { teardown in
            let interval = Duration.milliseconds(200)
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let client = try await connect(server, name: "node")
            teardown.add { await client.close() }
            let node = try await ScriptedNode.start(on: client, answer: .accept(serversOnly(server), existing: [:]))
            let heartbeats = try node.heartbeats()
            try await client.flush()
            let arrivals = Recorder<(ContinuousClock.Instant, NatsMessage)>()
            let reader = Task {
                for await message in heartbeats {
                    arrivals.append((.now, message))
                }
            }
            let nexlet = InMemoryNexlet()
            nexlet.seed(workloadID: "w1", request: startRequest().request)
            let runner = NexletRunner(runtime: nexlet, options: testOptions(heartbeat: interval))
            let agentID = NUID.next()
            let started = ContinuousClock.now
            try await runner.run(agentID: agentID, nodeID: node.nodeID, registration: serversOnly(server))
            try await eventually("four heartbeats") { arrivals.count >= 4 }

            // Beat k leaves at least k intervals after beat 0, which leaves after `started`: a jitter-proof lower
            // bound. The first beat's promptness is checked with the 10 s default in SDKRegistrationTests.
            let beats = arrivals.all.prefix(4)
            for (index, (arrival, _)) in beats.enumerated() {
                #expect(arrival - started >= interval * index, "heartbeat \(index) came \(arrival - started) after start")
            }
            #expect(beats[3].0 - started < interval * 3 + .seconds(5), "heartbeats far too slow")

            let schemas = SchemaCheck()
            for (_, message) in beats {
                #expect(message.subject == NexSubject.agentHeartbeat(nodeID: node.nodeID, agentID: agentID))
                let heartbeat = try GoJSON.decode(AgentHeartbeat.self, from: message.payload)
                #expect(heartbeat.summary.name == "inmem")
                #expect(heartbeat.summary.type == "inmem")
                #expect(heartbeat.summary.version == "0.0.0")
                #expect(heartbeat.summary.state == "running")
                #expect(heartbeat.summary.supportedLifecycles == "service,job,function")
                #expect(heartbeat.summary.workloadCount == 1)
                #expect(heartbeat.data == #"{"namespace_count":1,"register_type":"inmem"}"#)
                schemas.add("heartbeat-agent.json", message)
            }
            try await schemas.validate()

            await runner.stop()
            // Everything published before stop() returned arrives before this sentinel; nothing may follow it.
            try client.publish(NexSubject.agentHeartbeat(nodeID: node.nodeID, agentID: "sentinel"))
            try await eventually("sentinel") { arrivals.all.contains { $0.1.subject.hasSuffix(".sentinel") } }
            let beforeSentinel = arrivals.all.prefix { !$0.1.subject.hasSuffix(".sentinel") }
            let last = try #require(beforeSentinel.last)
            #expect(try GoJSON.decode(AgentHeartbeat.self, from: last.1.payload).summary.state == "stopping")
            let settled = arrivals.count
            let quiet = ContinuousClock.now + interval * 4
            while ContinuousClock.now < quiet {
                try await Task.sleep(for: interval / 2)
                #expect(arrivals.count == settled, "a heartbeat arrived after stop()")
            }
            reader.cancel()
            heartbeats.unsubscribe()
        }
    }

    @Test("Every endpoint exists before the node hears the first heartbeat", arguments: 1...3)
    func endpointsBeforeFirstHeartbeat(round: Int) async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start(NATSServerOptions(jetstream: false))
            teardown.add { await server.stop() }
            let client = try await connect(server, name: "node")
            teardown.add { await client.close() }
            let node = try await ScriptedNode.start(on: client, answer: .accept(serversOnly(server), existing: [:]))
            let agentID = NUID.next()
            let nodeID = node.nodeID
            let outcomes = Recorder<String>()
            // React to the first heartbeat at once by calling every agent endpoint.
            let probe = Mutex(false)
            let heartbeatSubscription = try client.subscribe(NexSubject.agentHeartbeat(nodeID: nodeID, agentID: agentID)) { _ in
                guard probe.withLock({ seen in defer { seen = true }; return !seen }) else { return }
                Task {
                    let calls: [(String, Data)] = [
                        (NexSubject.agentPing(nodeID: nodeID, agentID: agentID), Data()),
                        (NexSubject.agentPingAll(nodeID: nodeID), Data()),
                        (NexSubject.agentQueryWorkloads(nodeID: nodeID), Data(#"{"filter":null,"namespace":"system"}"#.utf8)),
                        (NexSubject.agentStopWorkload(nodeID: nodeID, workloadID: "x"), Data(#"{"namespace":"a"}"#.utf8)),
                        (NexSubject.agentStartWorkload(nodeID: nodeID, agentID: agentID, workloadID: "x"), Data("{}".utf8)),
                        (NexSubject.agentSetLameduck(nodeID: nodeID), Data("{}".utf8)),
                    ]
                    for (subject, payload) in calls {
                        do {
                            _ = try await client.request(subject, payload: payload, timeout: .seconds(5))
                            outcomes.append("ok")
                        } catch {
                            outcomes.append("\(subject): \(error)")
                        }
                    }
                }
            }
            try await client.flush()
            let runner = NexletRunner(runtime: InMemoryNexlet(), options: testOptions())
            teardown.add { await runner.stop() }
            try await runner.run(agentID: agentID, nodeID: nodeID, registration: serversOnly(server))
            try await eventually("probes answered") { outcomes.count == 6 }
            #expect(outcomes.all == Array(repeating: "ok", count: 6), "round \(round)")
            heartbeatSubscription.unsubscribe()
        }
    }
}
