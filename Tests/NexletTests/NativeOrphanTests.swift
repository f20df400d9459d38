import Foundation
import Glibc
import Minter
import NATSKit
import NATSTestSupport
import NexClient
@testable import Nexlet
import NexNode
import NexProtocol
import ProcessKit
import Testing

/// Exactly once across restarts (decisions.md §3): processes a crashed run left behind are stopped before
/// the node's replay starts the workload again with its original id.
@Suite struct NativeOrphanTests {
    /// A service that notes its starts and SIGTERMs in a shared journal.
    static func journaledService(in directory: URL) throws -> (script: String, journal: String) {
        let journal = directory.appendingPathComponent("journal").path
        // Every run may have another uid (sandboxed workloads): all of them write to the same journal.
        _ = FileManager.default.createFile(atPath: journal, contents: nil)
        chmod(journal, 0o666)
        let script = try NativeHarness.script(in: directory, "journaled", """
            echo "start $$" >> "\(journal)"
            trap 'echo "term $$" >> "\(journal)"; exit 0' TERM
            while true; do sleep 0.1; done
            """)
        return (script, journal)
    }

    static func journal(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// A node identity and its KV state on `server`, shared by two lives of the node.
    static func persistentNode(on server: NATSServer) async throws -> (seed: String, state: KVWorkloadState) {
        let pair = try KeyPair.generate(.server)
        let seed = try #require(pair.seed)
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "state"))
        return (seed, try await KVWorkloadState.open(connection: connection, nodeID: pair.publicKey))
    }

    @Test func orphansOfACrashedRunAreStoppedBeforeTheReplay() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let (seed, state) = try await Self.persistentNode(on: server)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("native-orphans-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let (service, journal) = try Self.journaledService(in: directory)

            // First life. Restarts are off so that the dead instance's supervisor (still in this test process)
            // does not bring the orphan back once it is stopped.
            let first = try await NativeHarness.start(server: server, directory: directory, nodeSeed: seed, state: state) {
                $0.restartPolicy = RestartPolicy(maximumRestarts: 0)
            }
            let deployed = try await first.client().deploy(nativeRequest(name: "survivor", runRequest: runRequest(uri: "file://\(service)")))
            let id = deployed.response.id
            try await eventually("first start journaled") { Self.journal(journal).count == 1 }
            let orphan = try #require(first.nexlet.processID(of: id))
            #expect(first.processRecords == [id])
            // The crash: the nexlet reports, records and stops nothing any more; the node goes away.
            first.nexlet.simulateCrash()
            await first.stop(keepDirectory: true)
            #expect(processIsAlive(orphan))
            #expect(try await state.all().map(\.workloadID) == [id])

            // Second life: same node identity, state and data directory.
            let second = try await NativeHarness.start(server: server, directory: directory, nodeSeed: seed, state: state)
            teardown.add { await second.stop() }
            try await withDeadline(.seconds(30), "replay") { await second.runner.waitUntilReplayed() }
            let replacement = try #require(second.nexlet.processID(of: id))
            #expect(replacement != orphan)
            #expect(!processIsAlive(orphan))
            try await eventually("replacement journaled") { Self.journal(journal).count == 3 }
            // The orphan was gone before its replacement started: exactly one instance at any time.
            #expect(Self.journal(journal) == ["start \(orphan)", "term \(orphan)", "start \(replacement)"])
            // Group leaders only: a fork of the service's shell that has not exec'd `sleep` yet shares its command line.
            #expect(processes(containing: service).filter { getpgid($0) == $0 } == [replacement])
            let listed = try await second.client().listWorkloads().get().all
            #expect(listed.map(\.id) == [id])
            #expect(listed.first?.name == "survivor")
            #expect(second.processRecords == [id])
        }
    }

    @Test func gracefulRestartRunsEachWorkloadOnce() async throws {
        try await withTeardown { teardown in
            let server = try await NATSServer.start()
            let (seed, state) = try await Self.persistentNode(on: server)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("native-restart-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let (service, journal) = try Self.journaledService(in: directory)

            let first = try await NativeHarness.start(server: server, directory: directory, nodeSeed: seed, state: state)
            let deployed = try await first.client().deploy(nativeRequest(runRequest: runRequest(uri: "file://\(service)")))
            let id = deployed.response.id
            let before = try #require(first.nexlet.processID(of: id))
            try await eventually("first start journaled") { Self.journal(journal).count == 1 }
            await first.stop(keepDirectory: true)
            // The nexlet stopped its workload on the way down, and forgot its record; the node kept the desired state.
            #expect(!processIsAlive(before))
            #expect(first.processRecords.isEmpty)
            #expect(try await state.all().map(\.workloadID) == [id])

            let second = try await NativeHarness.start(server: server, directory: directory, nodeSeed: seed, state: state)
            teardown.add { await second.stop() }
            try await withDeadline(.seconds(30), "replay") { await second.runner.waitUntilReplayed() }
            let after = try #require(second.nexlet.processID(of: id))
            try await eventually("second start journaled") { Self.journal(journal).count == 3 }
            #expect(Self.journal(journal) == ["start \(before)", "term \(before)", "start \(after)"])
            #expect(processes(containing: service).filter { getpgid($0) == $0 } == [after])
            // The invented name survives the replay (the node stored the request without it).
            #expect(try await second.client().listWorkloads().get().all.map(\.name) == [deployed.response.name])
        }
    }

    @Test func replayOfARunningWorkloadKeepsItsProcess() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let (service, journal) = try Self.journaledService(in: harness.directory)
            let request = AgentStartWorkloadRequest(request: nativeRequest(name: "kept", runRequest: runRequest(uri: "file://\(service)")))
            _ = try await harness.nexlet.start(workloadID: "KEPT", request: request, replayed: false)
            let pid = try #require(harness.nexlet.processID(of: "KEPT"))
            let again = try await harness.nexlet.start(workloadID: "KEPT", request: request, replayed: true)
            #expect(again == StartWorkloadResponse(id: "KEPT", name: "kept"))
            #expect(harness.nexlet.processID(of: "KEPT") == pid)
            // Its own workloads are never taken for orphans.
            #expect(await harness.nexlet.recoverOrphans().isEmpty)
            #expect(processIsAlive(pid))
            try await eventually("journaled") { Self.journal(journal).count == 1 }
            #expect(Self.journal(journal) == ["start \(pid)"])
        }
    }

    @Test func recordsFromAnotherBootOrOfDeadProcessesAreDropped() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("native-records-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let state = directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let sleeper = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/sleep", arguments: ["300"]))
        let alive = sleeper.identity
        // A live process, but recorded in another boot: never signalled.
        let otherBoot = NativeProcessRecord(workloadID: "OTHERBOOT", namespace: "user", identity: alive, bootID: "another-boot")
        // Its pid with another start time (a reused pid): not the recorded process, not signalled.
        let reused = NativeProcessRecord(
            workloadID: "REUSED", namespace: "user",
            identity: ProcessIdentity(pid: alive.pid, processGroup: alive.processGroup, startTime: alive.startTime + 1))
        // Plus a removed record and a torn line.
        let gone = NativeProcessRecord(workloadID: "GONE", namespace: "user", identity: alive)
        let lines = [try JSONEncoder().encode(otherBoot), try JSONEncoder().encode(reused), try JSONEncoder().encode(gone),
                     Data(#"{"removed":"GONE"}"#.utf8), Data(#"{"workload_id":"BRO"#.utf8)]
        let ledger = state.appendingPathComponent("processes.jsonl")
        try Data(lines.map { $0 + Data("\n".utf8) }.joined()).write(to: ledger)
        let nexlet = try NativeNexlet(options: NativeHarness.options(directory: directory))
        let recoveries = await nexlet.recoverOrphans()
        #expect(recoveries.map(\.record.workloadID) == ["OTHERBOOT", "REUSED"])
        #expect(recoveries.allSatisfy { $0.outcome == .notRunning })
        #expect(ProcessRecordFile.fold(contentsOf: ledger).live.isEmpty)
        #expect(processIsAlive(sleeper.pid))
        await sleeper.stop(grace: .seconds(1))
    }
}
