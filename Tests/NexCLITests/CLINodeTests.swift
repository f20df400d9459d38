import Foundation
import NATSKit
import NATSTestSupport
import Testing

/// `nex node up` as a process, and the node commands against it.
@Suite("nex node", .serialized)
struct CLINodeTests {
    /// The ready line's node id.
    private static let readyPattern = #"is ready: id (N[A-Z0-9]{55})"#

    /// Starts `nex node up` against `server` and waits for the ready line; returns the process and node id.
    private func startNode(_ sandbox: CLISandbox, server: NATSServer, _ extra: [String] = []) async throws -> (CLIProcess, String) {
        let node = try sandbox.start(["node", "up", "-s", server.url, "--disable-native-start"] + extra)
        let id = try await node.waitForOutput(Self.readyPattern)
        return (node, id)
    }

    @Test("node up against a server, then list, info and lameduck; lameduck ends the node with status 0")
    func upListInfoLameduck() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let (node, id) = try await startNode(sandbox, server: server, ["--node-name", "cli-node", "--nexus", "clinexus", "--tags", "zone=a;rack=7"])
        #expect(node.stdout.contains("\"cli-node\""))
        #expect(node.stdout.contains(server.url))

        let list = try await sandbox.run(["node", "list", "--json", "-s", server.url])
        #expect(list.status == 0, "\(list)")
        let nodes = try #require(try list.json() as? [[String: Any]], "\(list)")
        let entry = try #require(nodes.first { $0["node_id"] as? String == id }, "\(list)")
        let tags = try #require(entry["tags"] as? [String: String])
        #expect(tags["zone"] == "a" && tags["rack"] == "7")
        #expect(tags["nex.node"] == "cli-node" && tags["nex.nexus"] == "clinexus")
        #expect(entry["state"] as? String == "running")

        let table = try await sandbox.run(["node", "ls", "-s", server.url, "--filter", "zone=a"])
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("Nex Nodes"))
        #expect(table.stdout.contains("│ clinexus │ \(id) │ cli-node │"))
        #expect(table.stdout.contains("running"))

        let none = try await sandbox.run(["node", "ls", "-s", server.url, "--filter", "zone=b"])
        #expect(none.status == 0)
        #expect(none.stdout.contains("No nodes found"))

        let info = try await sandbox.run(["node", "info", id, "-s", server.url])
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.contains("Information about Node \(id)"))
        #expect(info.stdout.contains("Node Name  cli-node"))
        #expect(info.stdout.contains("Nexus      clinexus"))
        #expect(info.stdout.contains("No agents running"))

        let infoJSON = try await sandbox.run(["node", "info", id, "--json", "-s", server.url])
        let object = try #require(try infoJSON.json() as? [String: Any], "\(infoJSON)")
        #expect(object["node_id"] as? String == id)
        #expect((object["xkey"] as? String)?.hasPrefix("X") == true)

        let missing = try await sandbox.run(["node", "info", "NB4XOM2IOV2NRLRZZU5PFMQFBAQXYQOG4WOVGOWRYJRBWI3JO5QJK7AG", "-s", server.url])
        #expect(missing.status == 1)
        #expect(missing.stderrLines.count == 1)
        #expect(missing.stderr.contains("not found"))

        let lameduck = try await sandbox.run(["node", "lameduck", id, "--delay", "500ms", "-s", server.url])
        #expect(lameduck.status == 0, "\(lameduck)")
        #expect(lameduck.stdout.contains("lameduck mode"))
        let status = await node.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(node.stdout)\(node.stderr)")
        #expect(node.stdout.contains("stopped (lameduck)"))
    }

    @Test("lameduck with a tag the node does not have: the node stays up and the command says why")
    func lameduckTagMismatch() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let (node, id) = try await startNode(sandbox, server: server, ["--tags", "zone=a"])
        let result = try await sandbox.run(["node", "down", id, "--tag", "zone=b", "--nats.timeout", "1s", "-s", server.url])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("--tag"))
        #expect(node.exitStatus == nil)
        node.signal(SIGINT)
        #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("node up with no server configured starts its own nats-server and stops it on SIGTERM")
    func zeroConfiguration() async throws {
        let sandbox = try CLISandbox()
        let dataDirectory = sandbox.root.appendingPathComponent("nex-data")
        // 4222 taken by someone else's NATS server is a legitimate situation: the node then uses it.
        let existing = try? await NatsConnection.connect(NatsConnectOptions(servers: ["nats://127.0.0.1:4222"], connectTimeout: .seconds(1)))
        await existing?.close()
        let node = try sandbox.start(["node", "up", "--disable-native-start", "--data-dir", dataDirectory.path])
        if existing != nil {
            try await node.waitForOutput("Using the NATS server at nats://127.0.0.1:4222")
            try await node.waitForOutput(Self.readyPattern)
            node.signal(SIGTERM)
            #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
            return
        }
        let url = try await node.waitForOutput(#"Started nats-server at (nats://127\.0\.0\.1:\d+)"#)
        let id = try await node.waitForOutput(Self.readyPattern)
        #expect(FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("jetstream").path))
        let portsFile = try #require(try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path).first { $0.hasSuffix(".ports") })
        let serverPID = try #require(Int32(portsFile.split(separator: "_").last?.split(separator: ".").first ?? ""))
        #expect(processExists(serverPID))

        let list = try await sandbox.run(["node", "ls", "--json", "-s", url])
        let nodes = try #require(try list.json() as? [[String: Any]], "\(list)")
        #expect(nodes.contains { $0["node_id"] as? String == id })

        node.signal(SIGTERM)
        let status = await node.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "\(node.stdout)\(node.stderr)")
        #expect(node.stdout.contains("Stopped nats-server at \(url)"))
        try await eventually("nats-server \(serverPID) gone", timeout: .seconds(10)) { !processExists(serverPID) }
        let refused = try? await NatsConnection.connect(NatsConnectOptions(servers: [url], connectTimeout: .seconds(1)))
        #expect(refused == nil)
    }

    @Test("node up --state kv creates the node's bucket; SIGINT stops the node with status 0")
    func kvState() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let (node, id) = try await startNode(sandbox, server: server, ["--state", "kv"])
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        let bucket = try await JetStream(connection).keyValue("nex-\(id)")
        #expect(try await bucket.keys().isEmpty)
        await connection.close()
        node.signal(SIGINT)
        #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("a fixed node seed gives the expected node id")
    func fixedSeed() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let (node, id) = try await startNode(sandbox, server: server, ["--node-seed", "SNAKTNRC5J7EI5BYCKQJMBACUATP7NS4D3Z2DMGUVRPIDO4AHKVNJOVF3E"])
        #expect(id == "ND6CTZ74S3J6BRNKR6Z6FWH27YMORRAQGYPNJSS7WNNZIKZIRKWLQJHR")
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("events --follow shows the node's events (node up --events nats) until interrupted")
    func events() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let watcher = try sandbox.start(["events", "--follow", "--json", "-s", server.url])
        // The watcher has subscribed once a probe event published now shows up.
        let probe = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url]))
        try await eventually("events watcher subscribed", timeout: .seconds(20), poll: .milliseconds(100)) {
            try probe.publish("$NEX.FEED.probe.events.PROBE", payload: Data(#"{"probe":true}"#.utf8))
            return watcher.stdout.contains(#""name":"PROBE""#)
        }
        await probe.close()
        let (node, id) = try await startNode(sandbox, server: server, ["--events", "nats"])
        try await watcher.waitForOutput(#""name":"NODESTARTED""#)
        #expect(watcher.stdout.contains(#""from":"\#(id)""#))
        node.signal(SIGTERM)
        #expect(await node.waitForExit(timeout: .seconds(20)) == 0)
        try await watcher.waitForOutput(#""name":"NODESTOPPED""#)
        watcher.signal(SIGINT)
        #expect(await watcher.waitForExit(timeout: .seconds(10)) == 0)
    }
}
