import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Testing

/// `nex state list/export/import` against real nodes' buckets: export from one node, import into another
/// node id, and that node replays the workloads on its next start.
@Suite("nex state", .serialized)
struct CLIStateTests {
    @Test("list, export, import into another node id, which replays the workloads with their ids")
    func exportImportReplay() async throws {
        let fixture = try await FaultNode()
        try await fixture.run {
            let node = try await fixture.start()
            let (connection, client) = try await fixture.client()
            defer { Task { await connection.close() } }
            let first = try await client.deploy(fixture.serviceRequest("alpha")).response.id
            let second = try await client.deploy(fixture.serviceRequest("beta")).response.id
            let url = fixture.server.url

            let table = try await fixture.sandbox.run(["state", "list", fixture.nodeID, "-s", url])
            #expect(table.status == 0, "\(table)")
            for text in [first, second, "alpha", "beta", "native", "user", "service"] { #expect(table.stdout.contains(text), "\(table)") }

            let listed = try await fixture.sandbox.run(["state", "ls", fixture.nodeID, "--json", "-s", url])
            let requests = try #require(try listed.json() as? [String: [String: Any]], "\(listed)")
            #expect(Set(requests.keys) == [first, second])
            #expect(requests[first]?["name"] as? String == "alpha")
            #expect(requests[first]?["workload_type"] as? String == "native")

            let file = fixture.sandbox.workDirectory.appendingPathComponent("state.json").path
            let exported = try await fixture.sandbox.run(["state", "export", fixture.nodeID, "-o", file, "-s", url])
            #expect(exported.status == 0, "\(exported)")
            #expect(exported.stdout.contains("Exported 2 workloads"), "\(exported)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
            #expect(document["node_id"] as? String == fixture.nodeID)
            #expect((document["exported_at"] as? String)?.isEmpty == false)
            let entries = try #require(document["entries"] as? [[String: Any]])
            #expect(Set(entries.compactMap { $0["workload_id"] as? String }) == [first, second])
            #expect(entries.allSatisfy { $0["workload_type"] as? String == "native" && $0["request"] is [String: Any] })
            // Exported as stored: owner-only, and the run requests (argv, environment) sealed to the node.
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
            let exportedText = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!exportedText.contains(fixture.marker("alpha")) && exportedText.contains("nex-sealed:v1:"))

            // Export to stdout gives the same entries.
            let printed = try await fixture.sandbox.run(["state", "export", fixture.nodeID, "-s", url])
            let printedEntries = (try printed.json() as? [String: Any])?["entries"] as? [[String: Any]]
            #expect(printedEntries?.count == 2, "\(printed)")

            // Move the workloads: the old node is gone (and its processes with it), a new node id gets them.
            try await fixture.crash(node)
            await MarkerProcesses.killAll(prefix: fixture.tag)
            let target = try KeyPair.generate(.server)
            let targetSeed = try #require(target.seed)
            // The entries are sealed with the old node's state key: the import opens them with its seed and
            // seals them for the new node's.
            let sourceSeedFile = try fixture.sandbox.write("source.seed", fixture.seed + "\n").path
            let targetSeedFile = try fixture.sandbox.write("target.seed", targetSeed + "\n").path
            let reseal = ["--source-node-seed-file", sourceSeedFile, "--node-seed-file", targetSeedFile]
            let wrongTarget = try await fixture.sandbox.run(["state", "import", target.publicKey, file, "--node-seed-file", sourceSeedFile, "-s", url])
            #expect(wrongTarget.status != 0 && wrongTarget.stderr.contains("not \(target.publicKey)"), "\(wrongTarget)")
            let withoutSource = try await fixture.sandbox.run(["state", "import", target.publicKey, file, "--node-seed-file", targetSeedFile, "-s", url])
            #expect(withoutSource.status != 0 && withoutSource.stderr.contains("--source-node-seed-file"), "\(withoutSource)")
            let imported = try await fixture.sandbox.run(["state", "import", target.publicKey, file] + reseal + ["-s", url])
            #expect(imported.status == 0, "\(imported)")
            #expect(imported.stdout.contains("Imported 2 workloads into node \(target.publicKey)"), "\(imported)")
            let again = try await fixture.sandbox.run(["state", "import", target.publicKey, file] + reseal + ["-s", url])
            #expect(again.status == 1, "\(again)")
            #expect(again.stderrLines.count == 1 && again.stderr.contains("already holds 2 of these workload ids"), "\(again)")
            #expect(again.stderr.contains("--overwrite"), "\(again)")
            let overwritten = try await fixture.sandbox.run(["state", "import", target.publicKey, file, "--overwrite"] + reseal + ["-s", url])
            #expect(overwritten.status == 0, "\(overwritten)")

            let targetNode = try fixture.sandbox.start([
                "node", "up", "-s", url, "--node-name", "target", "--state", "kv", "--node-seed", targetSeed,
                "--data-dir", fixture.sandbox.dataHome.appendingPathComponent("target").path,
            ])
            #expect(try await targetNode.waitForOutput(FaultNode.readyPattern) == target.publicKey)
            try await fixture.waitUntil("the imported workloads running on the new node", timeout: .seconds(40)) {
                guard let outcome = try? await client.listWorkloads() else { return false }
                let onTarget = outcome.value.all.map(\.id)
                return Set(onTarget) == [first, second]
            }
            try await fixture.waitUntil("one process per imported workload") {
                let counts = MarkerProcesses.counts([fixture.marker("alpha"), fixture.marker("beta")])
                return counts[fixture.marker("alpha")] == 1 && counts[fixture.marker("beta")] == 1
            }
            let targetList = try await fixture.sandbox.run(["state", "list", target.publicKey, "--json", "-s", url])
            #expect(Set(((try? targetList.json()) as? [String: Any])?.keys.map { $0 } ?? []) == [first, second], "\(targetList)")
        }
    }

    @Test("a node without a bucket, a bad node id and a bad file give one clear line each")
    func errors() async throws {
        let server = try await NATSServer.start()
        let sandbox = try CLISandbox()
        let nodeID = try KeyPair.generate(.server).publicKey

        for command in ["list", "export"] {
            let result = try await sandbox.run(["state", command, nodeID, "-s", server.url])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines == ["error: node \(nodeID) has no state bucket: was it started with --state kv?"], "\(result)")
        }
        let badID = try await sandbox.run(["state", "list", "NOTANODE", "-s", server.url])
        #expect(badID.status == 64, "\(badID)")
        #expect(badID.stderrLines.count == 1 && badID.stderr.contains("invalid node id \"NOTANODE\""), "\(badID)")

        let goodRequest = #"{"description":"","name":"a","namespace":"user","run_request":"{}","tags":null,"workload_lifecycle":"service","workload_type":"native"}"#
        let cases: [(String, String)] = [
            ("{", "is not valid JSON"),
            (#"{"entries": 3}"#, #""entries" is missing or not an array"#),
            (#"{"entries": [{"workload_type": "native", "request": \#(goodRequest)}]}"#, #"entry 0: "workload_id" is missing"#),
            (#"{"entries": [{"workload_id": "a_b", "workload_type": "native", "request": \#(goodRequest)}]}"#, "entry 0 (a_b): workload_id must be letters and digits"),
            (#"{"entries": [{"workload_id": "abc", "workload_type": "inmem", "request": \#(goodRequest)}]}"#, #"entry 0 (abc): workload_type "inmem" differs"#),
            (#"{"entries": [{"workload_id": "abc", "workload_type": "native", "request": {"name": 3}}]}"#, "entry 0 (abc): request is not a valid StartWorkloadRequest"),
            (#"{"entries": [{"workload_id": "abc", "workload_type": "native", "request": \#(goodRequest)}, {"workload_id": "abc", "workload_type": "native", "request": \#(goodRequest)}]}"#,
             "entry 1 (abc): workload id appears twice"),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let file = try sandbox.write("bad\(index).json", text)
            let result = try await sandbox.run(["state", "import", nodeID, file.path, "-s", server.url])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains(message), "\(message): \(result)")
        }
        let missing = try await sandbox.run(["state", "import", nodeID, "no-such-file.json", "-s", server.url])
        #expect(missing.status == 64 && missing.stderr.contains("cannot read no-such-file.json"), "\(missing)")
        // A rejected file writes nothing: the node still has no bucket.
        let after = try await sandbox.run(["state", "list", nodeID, "-s", server.url])
        #expect(after.stderr.contains("has no state bucket"), "\(after)")
    }
}
