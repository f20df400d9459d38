import Foundation
import Minter
import NATSKit
import NATSTestSupport
import NexClient
import NexProtocol
import Synchronization

/// The workload processes of a fault test, found through `/proc` by an exact argv element (their marker).
/// The workload script runs as `/bin/sh <script> <marker>`; `nex` commands that carry the marker inside a
/// JSON start request never have it as a whole argument, so they are not counted.
enum MarkerProcesses {
    /// The pids whose argv has an element equal to `marker` (or starting with it when `prefix` is true).
    static func pids(_ marker: String, prefix: Bool = false) -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var result: [Int32] = []
        for name in names {
            guard let pid = Int32(name),
                  let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty else { continue }
            let argv = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if argv.dropFirst().contains(where: { prefix ? $0.hasPrefix(marker) : $0 == marker }) { result.append(pid) }
        }
        return result.sorted()
    }

    /// The parent pid of `pid` (from `/proc/<pid>/stat`), nil when it is gone.
    static func parent(_ pid: Int32) -> Int32? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // "pid (comm) state ppid …": the command may contain spaces, so split after its closing parenthesis.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// How many processes run with each marker of `markers`.
    static func counts(_ markers: [String]) -> [String: Int] {
        let wanted = Set(markers)
        var counts: [String: Int] = [:]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return counts }
        for name in names where Int32(name) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !data.isEmpty else { continue }
            let argv = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            for argument in argv.dropFirst() where wanted.contains(argument) { counts[argument, default: 0] += 1 }
        }
        return counts
    }

    /// Kills every process (and its process group) whose argv has an element starting with `prefix`, until
    /// none is left or 10 s have passed.
    static func killAll(prefix: String) async {
        let deadline = ContinuousClock.now + .seconds(10)
        let ownGroup = getpgrp()
        while ContinuousClock.now < deadline {
            let found = pids(prefix, prefix: true)
            if found.isEmpty { return }
            for pid in found {
                let group = getpgid(pid)
                if group > 1, group != ownGroup { Foundation.kill(-group, SIGKILL) }
                Foundation.kill(pid, SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// A node run again and again with the same seed, data directory and `--state kv` against one NATS server,
/// plus the workload script whose processes carry a marker `<tag>-<name>`.
final class FaultNode: Sendable {
    static let readyPattern = #"is ready: id (N[A-Z0-9]{55})"#

    let server: NATSServer
    let sandbox: CLISandbox
    let seed: String
    let nodeID: String
    let dataDirectory: String
    /// The prefix of every marker of this node's workloads.
    let tag: String
    let serviceScript: URL
    let jobScript: URL
    /// Every `nex` process the test started through this fixture, for ``cleanUp()``.
    private let processes = Mutex<[CLIProcess]>([])

    init() async throws {
        server = try await NATSServer.start()
        sandbox = try CLISandbox()
        let keys = try KeyPair.generate(.server)
        guard let seed = keys.seed else { throw CLITestFailure("a generated key pair has no seed") }
        self.seed = seed
        nodeID = keys.publicKey
        dataDirectory = sandbox.dataHome.appendingPathComponent("nex").path
        tag = "nexfault\(UUID().uuidString.prefix(8).lowercased())"
        serviceScript = try sandbox.write("service.sh", """
        #!/bin/sh
        while true; do sleep 1; done
        """)
        // A job: records one line per run in the file named by its second argument, then ends.
        jobScript = try sandbox.write("job.sh", """
        #!/bin/sh
        echo "$1" >> "$2"
        """)
        for script in [serviceScript, jobScript] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
    }

    /// `marker` for a workload called `name`.
    func marker(_ name: String) -> String { "\(tag)-\(name)" }

    /// Starts `nex node up` with the fixed seed and data directory and waits for its ready line.
    func start() async throws -> CLIProcess {
        let node = track(try sandbox.start([
            "node", "up", "-s", server.url, "--node-name", "fault", "--state", "kv", "--node-seed", seed, "--data-dir", dataDirectory,
        ]))
        let id = try await node.waitForOutput(Self.readyPattern, timeout: .seconds(30))
        guard id == nodeID else { throw CLITestFailure("node came up as \(id), expected \(nodeID)") }
        return node
    }

    /// `kill -9` of the node, waiting (at most 10 s) until it is gone.
    func crash(_ node: CLIProcess) async throws {
        node.kill()
        guard await node.waitForExit(timeout: .seconds(10)) != nil else { throw CLITestFailure("node did not die after SIGKILL") }
    }

    /// Registers a `nex` process (a node, a client) so ``cleanUp()`` ends it.
    @discardableResult
    func track(_ process: CLIProcess) -> CLIProcess {
        processes.withLock { $0.append(process) }
        return process
    }

    /// Ends every tracked process and then every workload process this fixture caused.
    func cleanUp() async {
        for process in processes.withLock({ $0 }) {
            process.kill()
            _ = await process.waitForExit(timeout: .seconds(10))
        }
        await MarkerProcesses.killAll(prefix: tag)
    }

    /// Runs a test body and cleans up after it on every exit path, failure included.
    func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    /// Starts one `nex workload start` client per name (a native service each), all at once, and waits until
    /// at least `acknowledged` of them have printed their acknowledgement (or all have ended).
    func startConcurrentDeploys(_ names: [String], waitingFor acknowledged: Int) async throws -> [CLIProcess] {
        var starters: [CLIProcess] = []
        for name in names {
            starters.append(track(try sandbox.start([
                "workload", "start", "--name", name, "--type", "native", "--start-request", try serviceStartRequestJSON(name),
                "--namespace", "user", "-s", server.url,
            ])))
        }
        let launched = starters
        try await waitUntil("\(acknowledged) acknowledged deploys", timeout: .seconds(40)) {
            launched.filter { $0.stdout.contains("] started") }.count >= acknowledged || launched.allSatisfy { $0.exitStatus != nil }
        }
        guard starters.contains(where: { $0.stdout.contains("] started") }) else {
            throw CLITestFailure("no deploy was acknowledged; first client: \(starters[0].stdout) \(starters[0].stderr)")
        }
        return starters
    }

    /// The workload id each client that exited 0 printed, by workload name.
    static func acknowledged(_ names: [String], _ starters: [CLIProcess]) -> [String: String] {
        var acknowledged: [String: String] = [:]
        for (name, starter) in zip(names, starters) where starter.exitStatus == 0 {
            if let id = CLIEndToEndTests.capture(#"\[([0-9A-Za-z]{22})\] started"#, in: starter.stdout) { acknowledged[name] = id }
        }
        return acknowledged
    }

    /// A native service request running the service script with `marker(name)`.
    func serviceRequest(_ name: String) throws -> StartWorkloadRequest {
        try request(name, lifecycle: .service, uri: serviceScript, argv: [marker(name)])
    }

    /// A native job request that appends its marker to `runs` and ends.
    func jobRequest(_ name: String, runs: URL) throws -> StartWorkloadRequest {
        // The job may run under a uid of its own (a root node sandboxes workloads): let any uid append.
        if !FileManager.default.fileExists(atPath: runs.path) {
            guard FileManager.default.createFile(atPath: runs.path, contents: nil) else {
                throw CLITestFailure("cannot create \(runs.path)")
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: runs.path)
        return try request(name, lifecycle: .job, uri: jobScript, argv: [marker(name), runs.path])
    }

    /// The `--start-request` JSON of the service script for `nex workload start`.
    func serviceStartRequestJSON(_ name: String) throws -> String {
        try runRequest(uri: serviceScript, argv: [marker(name)])
    }

    private func request(_ name: String, lifecycle: WorkloadLifecycle, uri: URL, argv: [String]) throws -> StartWorkloadRequest {
        StartWorkloadRequest(
            name: name, namespace: "user", description: "fault test", workloadType: "native", workloadLifecycle: lifecycle,
            runRequest: try runRequest(uri: uri, argv: argv), tags: nil)
    }

    private func runRequest(uri: URL, argv: [String]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: ["uri": "file://\(uri.path)", "argv": argv], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A client of the `user` namespace on its own connection.
    func client() async throws -> (NatsConnection, NexClient) {
        let connection = try await NatsConnection.connect(NatsConnectOptions(servers: [server.url], name: "fault-test", reconnectWait: .milliseconds(50)))
        return (connection, try NexClient(connection: connection, namespace: "user"))
    }

    /// The ids of the workloads the node reports in `user` (nil when the node did not answer).
    func workloadIDs(_ client: NexClient) async -> [String]? {
        guard let outcome = try? await client.listWorkloads(), !outcome.value.perNode.isEmpty else { return nil }
        return outcome.value.all.map(\.id)
    }

    /// Polls `condition` every 100 ms until it holds; throws after `timeout`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLITestFailure("\(what) did not happen within \(timeout)")
    }
}
