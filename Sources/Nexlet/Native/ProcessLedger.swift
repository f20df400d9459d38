import Foundation
import Logging
import ProcessKit

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

    public init(workloadID: String, namespace: String, identity: ProcessIdentity, bootID: String = NativeProcessRecord.currentBootID) {
        self.workloadID = workloadID
        self.namespace = namespace
        pid = identity.pid
        processGroup = identity.processGroup
        startTime = identity.startTime
        self.bootID = bootID
    }

    public var identity: ProcessIdentity {
        ProcessIdentity(pid: pid, processGroup: processGroup, startTime: startTime)
    }

    enum CodingKeys: String, CodingKey {
        case workloadID = "workload_id", namespace, pid, processGroup = "process_group", startTime = "start_time"
        case bootID = "boot_id"
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

/// The records of running workload processes, one JSON file per workload in `<state dir>/processes`. A record
/// exists from the moment a process is spawned until the workload is gone. Records are written in place, not
/// through a temporary file, a rename and an fsync: that costs a start three directory updates and a disk
/// flush, and buys nothing here — a record torn by a crash is unreadable, dropped at start-up, and its process
/// is still found by the owner scan of `/proc` (see ``OrphanScan``).
final class ProcessLedger: Sendable {
    let directory: URL
    private let logger: Logger

    init(stateDirectory: URL, logger: Logger) {
        directory = stateDirectory.appendingPathComponent("processes", isDirectory: true)
        self.logger = logger
    }

    /// Records (or replaces) the process of a workload.
    func record(_ record: NativeProcessRecord) async {
        let (directory, url) = (directory, file(record.workloadID))
        do {
            let data = try JSONEncoder().encode(record)
            try await BlockingIO.run {
                if !Self.writeInPlace(data, to: url.path) {
                    try FileManager.default.createDirectory(
                        at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                    guard Self.writeInPlace(data, to: url.path) else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
                }
            }
        } catch {
            logger.error("cannot record a workload process; it would not be found after a crash", metadata: [
                "workload": "\(record.workloadID)", "pid": "\(record.pid)", "error": "\(error)",
            ])
        }
    }

    func remove(_ workloadID: String) async {
        let url = file(workloadID)
        _ = try? await BlockingIO.run { try FileManager.default.removeItem(at: url) }
    }

    /// Every readable record; unreadable files are reported and removed.
    func all() async -> [NativeProcessRecord] {
        let (directory, logger) = (directory, logger)
        return (try? await BlockingIO.run { () -> [NativeProcessRecord] in
            guard let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) else {
                return []
            }
            var records: [NativeProcessRecord] = []
            for url in files where url.pathExtension == "json" {
                if let data = try? Data(contentsOf: url), let record = try? JSONDecoder().decode(NativeProcessRecord.self, from: data) {
                    records.append(record)
                } else {
                    logger.warning("removing an unreadable process record", metadata: ["file": "\(url.path)"])
                    try? FileManager.default.removeItem(at: url)
                }
            }
            return records.sorted { $0.workloadID < $1.workloadID }
        }) ?? []
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

    /// Creates or truncates `path` and writes `data`; false when any step fails (e.g. no directory yet).
    private static func writeInPlace(_ data: Data, to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    private func file(_ workloadID: String) -> URL {
        directory.appendingPathComponent("\(workloadID).json")
    }
}
