import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import ProcessKit
import Testing

/// Listing, filters, clone (GETWORKLOAD), discovery and the states a workload goes through.
@Suite struct NativeQueryTests {
    @Test func listingFiltersAndNamespaces() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let sleeper = try harness.script("sleeper", "sleep 300")
            let alice = try harness.client("alice")
            let bob = try harness.client("bob")
            let system = try harness.client("system")
            let first = try await alice.deploy(nativeRequest(name: "first", namespace: "alice", runRequest: runRequest(uri: "file://\(sleeper)")))
            let second = try await alice.deploy(nativeRequest(namespace: "alice", runRequest: runRequest(uri: "file://\(sleeper)")))
            let third = try await bob.deploy(nativeRequest(name: "third", namespace: "bob", runRequest: runRequest(uri: "file://\(sleeper)")))
            #expect(!second.response.name.isEmpty, "a name is invented when none is given")
            #expect(second.response.name.contains("-"))

            let all = try await system.listWorkloads().get().all
            #expect(Set(all.map(\.id)) == [first.response.id, second.response.id, third.response.id])
            #expect(Set(all.compactMap(\.namespace)) == ["alice", "bob"])
            let aliceOnly = try await alice.listWorkloads().get().all
            #expect(Set(aliceOnly.map(\.id)) == [first.response.id, second.response.id])
            #expect(try await alice.listWorkloads(filter: ["first"]).get().all.map(\.id) == [first.response.id])
            #expect(try await alice.listWorkloads(filter: [second.response.id]).get().all.map(\.id) == [second.response.id])
            #expect(try await alice.listWorkloads(filter: ["third"]).get().all.isEmpty, "bob's workload is not alice's")

            let summary = try #require(all.first { $0.id == third.response.id })
            #expect(summary.workloadType == "native")
            #expect(summary.workloadLifecycle == "service")
            #expect(summary.workloadState == .running)
            #expect(summary.runtime == "--")
            #expect(try GoTime(rfc3339: summary.startTime).rfc3339Seconds == summary.startTime)
            #expect(summary.metadata?["pid"] == harness.nexlet.processID(of: third.response.id).map { "\($0)" })
            #expect(summary.metadata?["restarts"] == "0")

            // Bob cannot stop alice's workload; system can.
            #expect(try await bob.stopWorkload(id: first.response.id).stopped == false)
            #expect(try await system.stopWorkload(id: first.response.id).stopped)
            #expect(try await system.listWorkloads().get().all.count == 2)
            let status = await harness.nexlet.summary()
            #expect(status.workloadCount == 2)
            #expect(status.data == #"{"namespace_count":2,"register_type":"native"}"#)
        }
    }

    @Test func cloneGetsTheStoredDefinition() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let sleeper = try harness.script("sleeper", "sleep 300")
            let definition = runRequest(uri: "file://\(sleeper)", argv: ["x"], environment: ["K": "V"])
            let original = try await user.deploy(nativeRequest(name: "original", runRequest: definition))
            let copy = try await user.cloneWorkload(id: original.response.id, tags: nil, stopOriginal: true)
            #expect(copy.original.runRequest == definition)
            #expect(copy.original.namespace == "user")
            #expect(copy.original.name == "original")
            let listed = try await user.listWorkloads().get().all
            #expect(listed.map(\.id) == [copy.deployed.response.id])
        }
    }

    @Test func workloadDiscoveryAnswersWithTheNode() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let sleeper = try harness.script("sleeper", "sleep 300")
            let deployed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(sleeper)", ["expose_ports": [8080]])))
            let reply = try await harness.connection.request(
                "$NEX.SVC.nexus.agent.PINGWORKLOAD.\(deployed.response.id)", payload: Data(), timeout: .seconds(5))
            #expect(try GoJSON.decode(PingWorkloadResponse.self, from: reply.payload).nodeID == harness.node.id)
            #expect(await harness.nexlet.exposedPorts(workloadID: deployed.response.id) == [8080])
            await #expect(throws: NatsError.self) {
                _ = try await harness.connection.request("$NEX.SVC.nexus.agent.PINGWORKLOAD.NOSUCHWORKLOAD", payload: Data(), timeout: .milliseconds(500))
            }
        }
    }

    @Test func statesAlongTheWay() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start {
                $0.stopGrace = .seconds(1)  // well below the node's 2 s STOPWORKLOAD deadline
                $0.restartPolicy = RestartPolicy(initialDelay: .seconds(60), maximumRestarts: 1)
            }
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let crasher = try harness.script("crasher", "exit 9")
            let crashed = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(crasher)")))
            // Waiting a minute to restart: the process is gone, the workload is in `error`.
            try await eventually("error state") {
                try await harness.nexlet.query(namespace: "user", filter: [crashed.response.id]).first?.workloadState == .error
            }
            let stubborn = try harness.script("stubborn", "trap '' TERM; echo up; while true; do sleep 0.1; done")
            let running = try await user.deploy(nativeRequest(runRequest: runRequest(uri: "file://\(stubborn)")))
            try await logs.waitFor("up", in: running.response.id)
            #expect(try await harness.nexlet.query(namespace: "user", filter: [running.response.id]).first?.workloadState == .running)
            // While it is being stopped (SIGTERM ignored, one second of grace) it is `stopping`.
            let stopping = Task { try await user.stopWorkload(id: running.response.id) }
            try await eventually("stopping state") {
                try await harness.nexlet.query(namespace: "user", filter: [running.response.id]).first?.workloadState == .stopping
            }
            #expect(try await stopping.value.stopped)
            // A stop during the backoff wait ends it at once.
            #expect(try await user.stopWorkload(id: crashed.response.id).stopped)
            #expect(try await user.listWorkloads().get().all.isEmpty)
        }
    }
}
