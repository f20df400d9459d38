import Foundation
import Logging
import OffPool
import ProcessKit
import Synchronization

/// One workload process as recorded on disk: enough to recognise it after a crash of the node (a reused pid
/// has another start time; a reboot changes the boot id).
public struct NativeProcessRecord: Sendable, Equatable, Codable {
    public var workloadID: String
    public var namespace: String
    public var pid: Int32
    public var processGroup: Int32
    /// Kernel start time of the process, in clock ticks after boot.
    public var startTime: UInt64
    /// `/proc/sys/kernel/random/boot_id` when the record was written.
    public var bootID: String

    // issue 12: sandbox
    /// The uid the process runs under when sandboxed (nil: the nexlet's own user, or a record of an older version).
    public var uid: UInt32?
    /// The home directory made for it when sandboxed (removed when an orphan of it is recovered).
    public var home: String?

    public init(
        workloadID: String, namespace: String, identity: ProcessIdentity, bootID: String = NativeProcessRecord.currentBootID,
        uid: UInt32? = nil, home: String? = nil
    ) {
        self.workloadID = workloadID
        self.namespace = namespace
        pid = identity.pid
        processGroup = identity.processGroup
        startTime = identity.startTime
        self.bootID = bootID
        self.uid = uid
        self.home = home
    }

    public var identity: ProcessIdentity {
        ProcessIdentity(pid: pid, processGroup: processGroup, startTime: startTime)
    }

    enum CodingKeys: String, CodingKey {
        case workloadID = "workload_id", namespace, pid, processGroup = "process_group", startTime = "start_time"
        case bootID = "boot_id"
        case uid, home
    }

    /// The running kernel's boot id ("" when unreadable).
    public static let currentBootID: String = {
        let text = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? ""
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }()
}

/// What happened to one orphan found at start-up.
public struct OrphanRecovery: Sendable, Equatable {
    public var record: NativeProcessRecord
    public var outcome: OrphanControl.Outcome
}

/// The records of running workload processes: a record exists from the moment a process is spawned until the
/// workload is gone. They live in one append-only file, `<state dir>/processes.jsonl`: a line per change (a
/// record's JSON, or `{"removed":"<workload id>"}`), folded into the live set when read and compacted (written
/// anew, atomically) at start-up and whenever dead lines dominate. One file and sequential appends cost a start
/// a single small write, where a file per workload cost an inode allocation, which is slow on a file system
/// that just saw those files deleted (every restart). A line torn by a crash is skipped with a warning; its
/// process is still found by the owner scan of `/proc` (see ``OrphanScan``).
final class ProcessRecordFile: Sendable {
    let file: URL
    private let logger: Logger

    private struct Removal: Codable {
        var removed: String
    }

    private struct State {
        var loaded = false
        var live: [String: NativeProcessRecord] = [:]
        /// Lines in the file (live and dead).
        var lines = 0
        var descriptor: Int32 = -1
    }

    private let state = Mutex(State())

    init(stateDirectory: URL, logger: Logger) {
        file = stateDirectory.appendingPathComponent("processes.jsonl")
        self.logger = logger
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Records (or replaces) the process of a workload.
    func record(_ record: NativeProcessRecord) async {
        guard let line = try? JSONEncoder().encode(record) else { return }
        await change(line, workloadID: record.workloadID) { $0.live[record.workloadID] = record }
    }

    func remove(_ workloadID: String) async {
        guard let line = try? JSONEncoder().encode(Removal(removed: workloadID)) else { return }
        await change(line, workloadID: workloadID) { $0.live[workloadID] = nil }
    }

    /// Every live record, by workload id.
    func all() async -> [NativeProcessRecord] {
        (try? await Blocking.run { [self] in
            state.withLock { state in
                load(&state)
                return state.live.values.sorted { $0.workloadID < $1.workloadID }
            }
        }) ?? []
    }

    /// Applies a change and appends its line. Once the file is loaded, that is one small `write(2)` to a local
    /// file, done in place: a hop to a blocking-I/O thread would cost a workload start more than the write.
    private func change(_ line: Data, workloadID: String, _ apply: @escaping @Sendable (inout State) -> Void) async {
        let apply: @Sendable (inout State) throws -> Void = { [self] state in
            load(&state)
            apply(&state)
            try append(line, to: &state)
            if state.lines > 1024, state.lines > 4 * state.live.count { compact(&state) }
        }
        do {
            let done = try state.withLock { state throws -> Bool in
                guard state.loaded, state.descriptor >= 0 else { return false }
                try apply(&state)
                return true
            }
            if !done {
                try await Blocking.run { [self] in try state.withLock { try apply(&$0) } }
            }
        } catch {
            logger.error("cannot record a workload process; it would not be found after a crash", metadata: [
                "workload": "\(workloadID)", "file": "\(file.path)", "error": "\(error)",
            ])
        }
    }

    // MARK: The file (called with the state locked, on a BlockingIO thread)

    /// Reads the file once: folds its lines into the live set, then compacts it.
    private func load(_ state: inout State) {
        guard !state.loaded else { return }
        state.loaded = true
        let (live, unreadable) = Self.fold(contentsOf: file)
        state.live = live
        if unreadable > 0 {
            logger.warning("skipped unreadable process records", metadata: ["file": "\(file.path)", "lines": "\(unreadable)"])
        }
        compact(&state)
    }

    /// The live records a process record file describes (without touching it), and how many lines were unreadable.
    static func fold(contentsOf file: URL) -> (live: [String: NativeProcessRecord], unreadable: Int) {
        guard let data = try? Data(contentsOf: file) else { return ([:], 0) }
        let decoder = JSONDecoder()
        var live: [String: NativeProcessRecord] = [:]
        var unreadable = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let record = try? decoder.decode(NativeProcessRecord.self, from: line) {
                live[record.workloadID] = record
            } else if let removal = try? decoder.decode(Removal.self, from: line) {
                live[removal.removed] = nil
            } else {
                unreadable += 1
            }
        }
        return (live, unreadable)
    }

    /// Writes the live records to a fresh file that replaces the old one, and appends to it from then on.
    private func compact(_ state: inout State) {
        let encoder = JSONEncoder()
        var data = Data()
        for record in state.live.values.sorted(by: { $0.workloadID < $1.workloadID }) {
            guard let line = try? encoder.encode(record) else { continue }
            data.append(line)
            data.append(UInt8(ascii: "\n"))
        }
        do {
            try makeDirectory()
            try PrivateFile.replace(file, contents: data)
            if state.descriptor >= 0 { close(state.descriptor) }
            state.descriptor = open(file.path, O_WRONLY | O_APPEND | O_CLOEXEC)
            state.lines = state.live.count
        } catch {
            logger.error("cannot compact the process records", metadata: ["file": "\(file.path)", "error": "\(error)"])
        }
    }

    private func makeDirectory() throws {
        try PrivateFile.directory(file.deletingLastPathComponent(), mode: 0o700)
    }

    private func append(_ line: Data, to state: inout State) throws {
        if state.descriptor < 0 {
            try makeDirectory()
            state.descriptor = open(file.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        }
        guard state.descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var bytes = line
        bytes.append(UInt8(ascii: "\n"))
        try PrivateFile.writeAll(bytes, to: state.descriptor)
        state.lines += 1
    }

    /// Stops the recorded processes of workloads not in `keeping` (SIGTERM to the group, `grace`, SIGKILL),
    /// all at once, and forgets their records. Records from another boot are dropped without signalling.
    func stopOrphans(keeping: Set<String>, grace: Duration) async -> [OrphanRecovery] {
        let candidates = await all().filter { !keeping.contains($0.workloadID) }
        let recoveries = await withTaskGroup(of: OrphanRecovery.self) { group in
            for record in candidates {
                group.addTask {
                    guard record.bootID == NativeProcessRecord.currentBootID else {
                        return OrphanRecovery(record: record, outcome: .notRunning)
                    }
                    let outcome = await OrphanControl.terminate(record.identity, grace: grace, killTimeout: grace)
                    return OrphanRecovery(record: record, outcome: outcome)
                }
            }
            var all: [OrphanRecovery] = []
            for await recovery in group { all.append(recovery) }
            return all.sorted { $0.record.workloadID < $1.record.workloadID }
        }
        for recovery in recoveries {
            if recovery.outcome != .notRunning {
                logger.warning("stopped a workload process left over from a previous run", metadata: [
                    "workload": "\(recovery.record.workloadID)", "namespace": "\(recovery.record.namespace)",
                    "pid": "\(recovery.record.pid)", "outcome": "\(recovery.outcome)",
                ])
            }
            if recovery.outcome != .stillRunning { await remove(recovery.record.workloadID) }
        }
        return recoveries
    }
}
