import Dispatch
import Foundation
import Glibc
import Logging
import ProcessKit
import Synchronization

// issue 12: sandbox

/// The uids (each used as the gid too) workloads run under: one per workload, from a configured range (by
/// default systemd's DynamicUser range 61184–65519). A uid is handed out only when no live process ran under it
/// at the last scan of `/proc` (real, effective, saved or file-system uid; at most 5 s old), no user or group of that number exists in
/// `/etc/passwd` or `/etc/group`, and no nexlet holds it: not one in this process (a process-wide set), and not
/// one in another process on this host (an exclusive `flock` on `/run/nex-workload-uids/<uid>`, held for as long
/// as the uid is leased and dropped by the kernel when the holder dies). The search starts after the last uid
/// handed out, so a freed uid is reused as late as possible.
final class WorkloadUIDs: Sendable {
    let range: ClosedRange<UInt32>
    private let named: Set<UInt32>
    private let cursor: Mutex<UInt32>

    /// Uids leased by any nexlet of this process, with the descriptor holding each one's host-wide lock (-1 when
    /// locks are unavailable).
    private static let leased = Mutex<[UInt32: Int32]>([:])
    /// Where the host-wide uid locks live (root only).
    static let lockDirectory = "/run/nex-workload-uids"

    init(range: ClosedRange<UInt32>) {
        self.range = range
        named = Self.namedIDs(in: "/etc/passwd").union(Self.namedIDs(in: "/etc/group"))
        cursor = Mutex(range.lowerBound)
        // Without it (no /run) uids are still never shared within this process, nor with any live process.
        _ = mkdir(Self.lockDirectory, 0o700)
    }

    /// The uids live processes ran under at the last scan of `/proc`, which is at most ``scanInterval`` old.
    /// A full scan reads every process's status and costs milliseconds on a busy host, too much for every deploy;
    /// a slightly old one is enough because every uid this nexlet releases was cleared of processes first
    /// (``SandboxLease``), and other nexlets hold theirs under host-wide locks: the scan guards against other
    /// software that runs under a uid of the range.
    private let scan = Mutex<(at: ContinuousClock.Instant, busy: Set<UInt32>)?>(nil)
    static let scanInterval: Duration = .seconds(5)

    private func busyUIDs() -> Set<UInt32> {
        scan.withLock { scan in
            let now = ContinuousClock.now
            if let last = scan, now - last.at < Self.scanInterval { return last.busy }
            let busy = ProcessSandbox.uidsInUse()
            scan = (now, busy)
            return busy
        }
    }

    /// A free uid, now held until ``release(_:)``; nil when every uid of the range is taken.
    func lease() -> UInt32? {
        let busy = busyUIDs()
        let count = UInt64(range.upperBound - range.lowerBound) + 1
        let start = cursor.withLock { UInt64($0 - range.lowerBound) }
        for step in 0..<count {
            let candidate = range.lowerBound + UInt32((start + step) % count)
            guard !busy.contains(candidate), !named.contains(candidate) else { continue }
            guard Self.claim(candidate) else { continue }
            cursor.withLock { $0 = candidate == range.upperBound ? range.lowerBound : candidate + 1 }
            return candidate
        }
        return nil
    }

    /// Kills whatever still runs under `uid` (a uid recorded for an orphan of a previous run), unless some nexlet
    /// holds it now: it is leased for the moment of the kill. Blocking.
    /// Returns whether it did (false: not in the range, held by a nexlet, or the kill failed).
    @discardableResult
    func reclaim(_ uid: UInt32) -> Bool {
        guard range.contains(uid), Self.claim(uid) else { return false }
        defer { release(uid) }
        do {
            try ProcessSandbox(uid: uid, gid: uid).killAllProcesses()
            return true
        } catch {
            return false
        }
    }

    func release(_ uid: UInt32) {
        let lock = Self.leased.withLock { $0.removeValue(forKey: uid) }
        if let lock, lock >= 0 { close(lock) }
    }

    /// Takes `uid` unless a nexlet of this process or another process on this host holds it.
    private static func claim(_ uid: UInt32) -> Bool {
        leased.withLock { leased -> Bool in
            guard leased[uid] == nil, let lock = lockHostWide(uid) else { return false }
            leased[uid] = lock
            return true
        }
    }

    /// The host-wide lock of `uid`: its descriptor, -1 when locks are unavailable here, nil when another process
    /// holds it.
    private static func lockHostWide(_ uid: UInt32) -> Int32? {
        let fd = open("\(lockDirectory)/\(uid)", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return -1 }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// The numeric ids (third field) of a passwd/group-style file.
    private static func namedIDs(in path: String) -> Set<UInt32> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var ids = Set<UInt32>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count > 2, let id = UInt32(fields[2]) { ids.insert(id) }
        }
        return ids
    }
}

/// One workload's sandbox: its uid and its home directory (also its working directory unless the start request
/// names a `workdir`). Held by the workload's entry and by every function invocation in flight; once the workload
/// is removed (``retire()``) and the last holder lets go, whatever still runs under the uid (a child that left
/// the process group) is killed, the home directory is removed, and only then is the uid free again.
final class SandboxLease: Sendable {
    let uid: UInt32
    let home: URL
    private let uids: WorkloadUIDs
    private enum Phase { case held, retired, abandoned }
    private let phase = Mutex(Phase.held)

    fileprivate init(uid: UInt32, home: URL, uids: WorkloadUIDs) {
        self.uid = uid
        self.home = home
        self.uids = uids
    }

    var processSandbox: ProcessSandbox { ProcessSandbox(uid: uid, gid: uid) }

    /// The workload is gone: clean up once nothing holds the lease any more.
    func retire() {
        phase.withLock { if $0 == .held { $0 = .retired } }
    }

    /// Test hook for a simulated crash: the uid is let go at once, as a dead process's locks are, and nothing is
    /// cleaned up.
    func abandon() {
        let wasHeld = phase.withLock { phase -> Bool in
            defer { phase = .abandoned }
            return phase != .abandoned
        }
        if wasHeld { uids.release(uid) }
    }

    deinit {
        let (uid, home, uids) = (uid, home, uids)
        let phase = phase.withLock { $0 }
        if phase == .abandoned { return }
        guard phase == .retired else {
            // Not retired: the nexlet went away without stopping the workload (e.g. it keeps running for
            // the next instance to find); leave its processes and home alone.
            uids.release(uid)
            return
        }
        SandboxLease.cleanup.async {
            try? ProcessSandbox(uid: uid, gid: uid).killAllProcesses()
            try? FileManager.default.removeItem(at: home)
            uids.release(uid)
        }
    }

    private static let cleanup = DispatchQueue(label: "nexlet.native.sandbox-cleanup")
}

/// Makes sandboxes: a uid from ``WorkloadUIDs`` and a fresh home directory `<root>/<workload id>` (mode 0700,
/// owned by the uid) under a root directory made for this nexlet (`nex-workloads-XXXXXX` in the system temporary
/// directory, mode 0711: every workload can reach its own home, none can list the others; removed with the nexlet
/// when empty).
final class WorkloadSandboxing: Sendable {
    let uids: WorkloadUIDs
    let root: URL

    init(range: ClosedRange<UInt32>) throws {
        uids = WorkloadUIDs(range: range)
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("nex-workloads-XXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else {
            throw NativeStartError.sandboxUnavailable("cannot create the workload home directory root: \(String(cString: strerror(errno)))")
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard chmod(path, 0o711) == 0 else {
            throw NativeStartError.sandboxUnavailable("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
        root = URL(fileURLWithPath: path, isDirectory: true)
    }

    deinit {
        rmdir(root.path)  // only when empty: homes still being cleaned up (or left to a successor) stay
    }

    /// After the orphan of a previous run is stopped: kills what still runs under its recorded uid (see
    /// ``WorkloadUIDs/reclaim(_:)``), then (only if that worked) removes its recorded home, and that home's root when it is empty. Only a
    /// home where this nexlet makes them is touched: `<temporary directory>/nex-workloads-*/<workload id>`.
    func reclaim(_ record: NativeProcessRecord) {
        // Nothing may run under the uid while its home is removed (it could swap in links under the remover).
        guard let uid = record.uid, uids.reclaim(uid), let path = record.home else { return }
        let home = URL(fileURLWithPath: path).standardizedFileURL
        let parent = home.deletingLastPathComponent()
        guard home.lastPathComponent == record.workloadID, parent.lastPathComponent.hasPrefix("nex-workloads-"),
              parent.deletingLastPathComponent().standardizedFileURL.path == root.deletingLastPathComponent().standardizedFileURL.path
        else { return }
        try? FileManager.default.removeItem(at: home)
        if parent.path != root.path { rmdir(parent.path) }
    }

    /// A uid and a fresh home directory for `workloadID`. Blocking (a `/proc` scan, a directory).
    func lease(_ workloadID: String) throws(NativeStartError) -> SandboxLease {
        guard let uid = uids.lease() else {
            throw .sandboxUnavailable("every uid of the workload uid range \(uids.range.lowerBound)-\(uids.range.upperBound) is in use")
        }
        let home = root.appendingPathComponent(workloadID, isDirectory: true)
        try? FileManager.default.removeItem(at: home)  // left over from an earlier run of this id
        guard mkdir(home.path, 0o700) == 0, chown(home.path, uid, uid) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: home)
            uids.release(uid)
            throw .sandboxUnavailable("cannot create the home directory \(home.path): \(reason)")
        }
        return SandboxLease(uid: uid, home: home, uids: uids)
    }
}
