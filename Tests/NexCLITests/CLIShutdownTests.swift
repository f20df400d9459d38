import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

/// Graceful shutdown of `nex node up` (SIGTERM/SIGINT): requests in flight are finished before the node stops,
/// and a second signal still stops the nats-server the node started.
@Suite("nex node shutdown", .serialized)
struct CLIShutdownTests {
    @Test("SIGTERM during 20 concurrent deploys: after a restart exactly the acknowledged ones run")
    func concurrentDeploysAcrossSIGTERM() async throws {
        let fixture = try await FaultNode()
        try await fixture.run {
            let node = try await fixture.start()
            let names = (0..<20).map { "term\($0)" }
            let markers = names.map(fixture.marker)
            // SIGTERM once a few deploys have been acknowledged, while the others are on their way.
            let starters = try await fixture.startConcurrentDeploys(names, waitingFor: 3)
            node.signal(SIGTERM)
            let status = await node.waitForExit(timeout: .seconds(60))
            #expect(status == 0, "node exit \(String(describing: status)): \(node.stdout.suffix(2000)) \(node.stderr.suffix(2000))")
            #expect(node.stdout.contains("stopped (shutdown requested)"))
            // Every client ends on its own: acknowledged, refused ("node is stopping"), or without a bid.
            for starter in starters {
                if await starter.waitForExit(timeout: .seconds(30)) == nil {
                    starter.kill()
                    Issue.record("a client did not end after the node stopped: \(starter.stdout) \(starter.stderr)")
                }
            }
            let acknowledged = FaultNode.acknowledged(names, starters)
            #expect(!acknowledged.isEmpty)
            // The node stopped its workloads on the way down (they come back from the state store).
            try await fixture.waitUntil("no workload process left after the shutdown") {
                MarkerProcesses.counts(markers).isEmpty
            }

            _ = try await fixture.start()
            let (connection, client) = try await fixture.client()
            defer { Task { await connection.close() } }
            let ackedIDs = Set(acknowledged.values)
            let ackedMarkers = names.filter { acknowledged[$0] != nil }.map(fixture.marker)
            try await fixture.waitUntil("the acknowledged workloads listed again", timeout: .seconds(40)) {
                guard let ids = await fixture.workloadIDs(client) else { return false }
                return Set(ids) == ackedIDs
            }
            try await fixture.waitUntil("one process per acknowledged deploy") {
                let counts = MarkerProcesses.counts(markers)
                return ackedMarkers.allSatisfy { counts[$0] == 1 }
            }
            let counts = MarkerProcesses.counts(markers)
            let unacknowledged = counts.keys.filter { !ackedMarkers.contains($0) }.sorted()
            #expect(unacknowledged.isEmpty, "running without an acknowledgement: \(unacknowledged)")
            #expect(counts.values.allSatisfy { $0 == 1 }, "\(counts.filter { $0.value != 1 })")
            let ids = await fixture.workloadIDs(client) ?? []
            #expect(Set(ids) == ackedIDs && ids.count == ackedIDs.count, "listed \(ids.sorted()), acknowledged \(ackedIDs.sorted())")
        }
    }

    @Test("a second SIGINT during the shutdown exits with status 130 and leaves no nats-server running")
    func secondSignalStillStopsTheServer() async throws {
        let sandbox = try CLISandbox()
        let dataDirectory = sandbox.root.appendingPathComponent("nex-data")
        let store = sandbox.root.appendingPathComponent("js")
        // Its own server on a free port, whatever else runs on this machine.
        let config = try sandbox.write("nats.conf", """
        host: 127.0.0.1
        port: -1
        jetstream { store_dir: "\(store.path)" }
        """)
        let tag = "nexsecond\(UUID().uuidString.prefix(8).lowercased())"
        // A service that ignores SIGTERM: the native nexlet waits out its stop grace, so the shutdown lasts
        // long enough for a second signal to arrive in the middle of it.
        let script = try sandbox.write("stubborn.sh", """
        #!/bin/sh
        trap '' TERM INT
        while true; do sleep 1; done
        """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let node = try sandbox.start(["node", "up", "--inats-config", config.path, "--data-dir", dataDirectory.path])
        var serverPID: Int32?
        do {
            let url = try await node.waitForOutput(#"Started nats-server at (nats://127\.0\.0\.1:\d+)"#)
            _ = try await node.waitForOutput(FaultNode.readyPattern)
            let portsFile = try #require(try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path).first { $0.hasSuffix(".ports") })
            serverPID = Int32(portsFile.split(separator: "_").last?.split(separator: ".").first ?? "")
            let pid = try #require(serverPID)
            #expect(processExists(pid))

            let runRequest = String(decoding: try JSONSerialization.data(
                withJSONObject: ["uri": "file://\(script.path)", "argv": [tag]], options: [.sortedKeys]), as: UTF8.self)
            let start = try await sandbox.run([
                "workload", "start", "--name", "stubborn", "--type", "native", "--start-request", runRequest, "--namespace", "user", "-s", url,
            ])
            #expect(start.status == 0, "\(start)")
            try await eventually("the stubborn workload running", timeout: .seconds(20)) { !MarkerProcesses.pids(tag).isEmpty }

            node.signal(SIGINT)
            try await eventually("the node stopping", timeout: .seconds(10)) { node.stdout.contains("shutting down") || node.stderr.contains("shutting down") }
            node.signal(SIGINT)
            let status = await node.waitForExit(timeout: .seconds(30))
            #expect(status == 130, "exit \(String(describing: status)): \(node.stdout.suffix(2000)) \(node.stderr.suffix(2000))")
            #expect(node.stderr.contains("again"), "\(node.stderr.suffix(2000))")
            #expect(node.stdout.contains("Stopped nats-server at \(url)"))
            try await eventually("nats-server \(pid) gone", timeout: .seconds(10)) { !processExists(pid) }
        } catch {
            node.kill()
            _ = await node.waitForExit(timeout: .seconds(10))
            if let serverPID { kill(serverPID, SIGKILL) }
            await MarkerProcesses.killAll(prefix: tag)
            throw error
        }
        await MarkerProcesses.killAll(prefix: tag)
    }
}
