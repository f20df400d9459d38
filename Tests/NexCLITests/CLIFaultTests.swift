import Foundation
import NATSKit
import NexClient
import NexProtocol
import Testing

/// Desired-workload state under real faults: the built `nex` with `--state kv`, a fixed `--node-seed`, the
/// embedded native nexlet and real shell-script workloads, counted through `/proc` by their markers. The
/// node is killed with SIGKILL, which leaves its workload processes running (the orphan case).
@Suite("nex state under faults", .serialized)
struct CLIFaultTests {
    @Test("kill -9 with 50 services: after a restart exactly 50 run, with their original ids, none twice")
    func fiftyServicesSurviveKill() async throws {
        let fixture = try await FaultNode()
        try await fixture.run {
            let node = try await fixture.start()
            let (connection, client) = try await fixture.client()
            defer { Task { await connection.close() } }

            let names = (0..<50).map { "svc\($0)" }
            let markers = names.map(fixture.marker)
            var idsByName: [String: String] = [:]
            try await withThrowingTaskGroup(of: (String, String).self) { group in
                var pending = names[...]
                func next() throws {
                    guard let name = pending.popFirst() else { return }
                    let request = try fixture.serviceRequest(name)
                    group.addTask { (name, try await client.deploy(request).response.id) }
                }
                for _ in 0..<8 { try next() }
                while let (name, id) = try await group.next() {
                    idsByName[name] = id
                    try next()
                }
            }
            #expect(idsByName.count == 50)
            try await fixture.waitUntil("50 workload processes") { MarkerProcesses.counts(markers).values.reduce(0, +) == 50 }

            try await fixture.crash(node)
            _ = try await fixture.start()
            let expectedIDs = Set(idsByName.values)
            try await fixture.waitUntil("the 50 workloads listed again", timeout: .seconds(40)) {
                guard let ids = await fixture.workloadIDs(client) else { return false }
                return Set(ids) == expectedIDs
            }
            // Exactly one process per marker, and it stays that way once the orphans are handled.
            try await fixture.waitUntil("one process per marker") {
                let counts = MarkerProcesses.counts(markers)
                return markers.allSatisfy { counts[$0] == 1 }
            }
            let ids = await fixture.workloadIDs(client) ?? []
            #expect(ids.count == 50, "listed \(ids.count) workloads")
            #expect(Set(ids) == expectedIDs)
            let counts = MarkerProcesses.counts(markers)
            #expect(counts.values.reduce(0, +) == 50, "\(counts.filter { $0.value != 1 })")
        }
    }

    @Test("kill -9 during 20 concurrent deploys: acknowledged ones run after a restart, the rest do not")
    func concurrentDeploysAcrossKill() async throws {
        let fixture = try await FaultNode()
        try await fixture.run {
            let node = try await fixture.start()
            let names = (0..<20).map { "dep\($0)" }
            let markers = names.map(fixture.marker)
            // Kill the node in the middle: once some deploys have been acknowledged, before all of them.
            let starters = try await fixture.startConcurrentDeploys(names, waitingFor: 1)
            try await fixture.crash(node)
            // Clients whose request died with the node would wait for their long start timeout: stop them
            // (a killed client was not acknowledged).
            for starter in starters where await starter.waitForExit(timeout: .seconds(8)) == nil {
                starter.kill()
                _ = await starter.waitForExit(timeout: .seconds(5))
            }
            let acknowledged = FaultNode.acknowledged(names, starters)
            #expect(!acknowledged.isEmpty)

            let restarted = try await fixture.start()
            let (connection, client) = try await fixture.client()
            defer { Task { await connection.close() } }
            let ackedIDs = Set(acknowledged.values)
            try await fixture.waitUntil("the acknowledged workloads listed again", timeout: .seconds(40)) {
                guard let ids = await fixture.workloadIDs(client) else { return false }
                return ackedIDs.isSubset(of: Set(ids))
            }
            // Hard: every acknowledged deploy runs exactly once, and nothing runs twice.
            let ackedMarkers = names.filter { acknowledged[$0] != nil }.map(fixture.marker)
            do {
                try await fixture.waitUntil("one process per acknowledged deploy, none twice") {
                    let counts = MarkerProcesses.counts(markers)
                    return ackedMarkers.allSatisfy { counts[$0] == 1 } && counts.values.allSatisfy { $0 <= 1 }
                }
            } catch {
                let counts = MarkerProcesses.counts(markers)
                let twice = counts.filter { $0.value > 1 }.keys.sorted().map { marker in
                    "\(marker): " + MarkerProcesses.pids(marker).map { "pid \($0) parent \(MarkerProcesses.parent($0).map(String.init) ?? "?")" }.joined(separator: ", ")
                }
                throw CLITestFailure("\(error); node pid \(restarted.pid); twice: \(twice); counts \(counts.sorted { $0.key < $1.key }), acknowledged \(ackedMarkers)")
            }
            let ids = await fixture.workloadIDs(client) ?? []
            #expect(ackedIDs.isSubset(of: Set(ids)))
            #expect(Set(ids).count == ids.count, "an id is listed twice: \(ids.sorted())")
            // Deploys in flight at the kill: the node stores a workload once its agent started it and replies
            // right after; a process started but not stored is an orphan its nexlet stops on restart. What is
            // left is the instant between the state write and the reply: a deploy killed exactly there runs
            // although its client saw no acknowledgement (the acknowledgement itself was lost).
            let unackedRunning = MarkerProcesses.counts(markers).keys.filter { !ackedMarkers.contains($0) }.sorted()
            withKnownIssue("a deploy killed between its state write and its reply runs unacknowledged", isIntermittent: true) {
                #expect(unackedRunning.isEmpty, "running without an acknowledgement: \(unackedRunning)")
                #expect(Set(ids) == ackedIDs, "listed \(ids.count), acknowledged \(ackedIDs.count)")
            }
        }
    }

    @Test("a finished job and a stopped service do not come back after a restart")
    func finishedAndStoppedStayGone() async throws {
        let fixture = try await FaultNode()
        try await fixture.run {
            let node = try await fixture.start()
            let (connection, client) = try await fixture.client()
            defer { Task { await connection.close() } }
            let runs = fixture.sandbox.workDirectory.appendingPathComponent("job-runs.txt")

            let kept = try await client.deploy(fixture.serviceRequest("kept")).response.id
            let stopped = try await client.deploy(fixture.serviceRequest("stopped")).response.id
            let job = try await client.deploy(fixture.jobRequest("job", runs: runs)).response.id
            try await fixture.waitUntil("the job's run") { Self.lines(runs) == 1 }
            try await fixture.waitUntil("both services running") {
                MarkerProcesses.counts([fixture.marker("kept"), fixture.marker("stopped")]).count == 2
            }
            _ = try await client.stopWorkload(id: stopped)
            try await fixture.waitUntil("the stopped service's process gone") { MarkerProcesses.pids(fixture.marker("stopped")).isEmpty }
            // The node forgets the finished job and the stopped service.
            try await fixture.waitUntil("the state bucket holding only the kept service") {
                await Self.storedIDs(fixture) == [kept]
            }

            try await fixture.crash(node)
            _ = try await fixture.start()
            try await fixture.waitUntil("the kept service listed again", timeout: .seconds(40)) {
                await fixture.workloadIDs(client) == [kept]
            }
            try await fixture.waitUntil("one process of the kept service") { MarkerProcesses.pids(fixture.marker("kept")).count == 1 }
            #expect(MarkerProcesses.pids(fixture.marker("stopped")).isEmpty)
            #expect(Self.lines(runs) == 1, "the job ran \(Self.lines(runs)) times")
            let listed = await fixture.workloadIDs(client) ?? []
            #expect(!listed.contains(job) && !listed.contains(stopped))
        }
    }

    /// The non-empty lines of `file` (0 when it does not exist).
    static func lines(_ file: URL) -> Int {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline).count
    }

    /// The workload ids in the node's bucket, through `nex state list --json`.
    static func storedIDs(_ fixture: FaultNode) async -> [String]? {
        guard let result = try? await fixture.sandbox.run(["state", "list", fixture.nodeID, "--json", "-s", fixture.server.url]),
              result.status == 0, let object = try? result.json() as? [String: Any] else { return nil }
        return object.keys.sorted()
    }
}
