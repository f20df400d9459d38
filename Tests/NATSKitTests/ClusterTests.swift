import Foundation
import NATSKit
import NATSTestSupport
import Testing

@Suite struct ClusterTests {
    @Test func replicatedBucketSurvivesLosingOneServer() async throws {
        try await withTeardown { teardown in
            let cluster = try await NATSCluster.start(size: 3)
            teardown.add { await cluster.stop() }
            let connection = try await NatsConnection.connect(NatsConnectOptions(servers: cluster.urls, name: "cluster-test", reconnectWait: .milliseconds(50)))
            let js = try JetStream(connection)
            // The JetStream meta group needs a moment to elect a leader after the routes form.
            let kv = try await withDeadline(.seconds(30), "R3 bucket") {
                while true {
                    if let kv = try? await js.createKeyValue(KeyValueConfig(bucket: "r3", replicas: 3)) { return kv }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            try await kv.put("before", Data("1"))

            // Stop a server that is not the one we are connected to.
            let connected = connection.connectedURL ?? ""
            let victim = try #require(cluster.servers.first { !connected.hasSuffix(":\($0.port)") })
            await victim.stop()

            try await eventually("writes with one server down", timeout: .seconds(30), poll: .milliseconds(100)) {
                (try? await kv.put("after", Data("2"))) != nil
            }
            #expect(try await kv.get("before")?.value == Data("1"))
            #expect(try await kv.get("after")?.value == Data("2"))
        }
    }
}
