import Dispatch
import Foundation
import Glibc
import Logging
import ProcessKit
import Synchronization

// issue 12: sandbox

/// The uids (each used as the gid too) workloads run under: one per workload, from a configured range (by
/// default systemd's DynamicUser range 61184–65519).
///
/// Each uid has a lock file `/run/nex-workload-uids/<uid>`. A nexlet holds an exclusive `flock` on it for as long
/// as the uid is leased (the kernel drops it when the holder dies) and writes its owner mark (its state directory)
/// into it; a clean release (after everything under the uid was killed) empties the file first. So a lock file
/// that is free but not empty belongs to a nexlet that died while the uid was in use: its processes may still run
/// (orphans), and only that nexlet's successor (the same owner mark) may take the uid back, killing them first
/// (``reclaim(_:)``, ``reclaimAbandoned()``); every other nexlet skips it, unless the marked state directory no
/// longer exists (then nobody will recover them, and they are killed before the uid is reused). Within this process a process-wide set
/// does the same. No user or group of the uid may exist (`/etc/passwd`, `/etc/group`), and no process may have
/// run under it at start-up (one `/proc` scan: other software using the range). Handing out a uid costs a lock
/// and a small write, however many processes the host runs. The search starts after the last uid handed out, so a
/// freed uid is reused as late as possible.
final class WorkloadUIDs: Sendable {
    let range: ClosedRange<UInt32>
    /// The mark written into held lock files: the nexlet's state directory (its successor uses the same).
    let owner: String
    private let unavailable: Set<UInt32>
    private let cursor: Mutex<UInt32>

    /// Uids leased by any nexlet of this process, with the descriptor holding each one's host-wide lock (-1 when
    /// locks are unavailable).
    private static let leased = Mutex<[UInt32: Int32]>([:])
    /// Where the host-wide uid locks live (root only).
    static let lockDirectory = "/run/nex-workload-uids"

    init(range: ClosedRange<UInt32>, owner: String) {
        self.range = range
        self.owner = owner
        let named = Self.namedIDs(in: "/etc/passwd").union(Self.namedIDs(in: "/etc/group"))
        // Other software already running under a uid of the range; our own orphans are found by their marks.
        let foreign = ProcessSandbox.uidsInUse().filter { range.contains($0) && !Self.hasMark($0) }
        unavailable = named.union(foreign)
        cursor = Mutex(range.lowerBound)
        // Without it (no /run) uids are still never shared within this process.
        _ = mkdir(Self.lockDirectory, 0o700)
    }

    /// A free uid, now held until ``release(_:)``; nil when every uid of the range is taken.
    func lease() -> UInt32? {
        let count = UInt64(range.upperBound - range.lowerBound) + 1
        let start = cursor.withLock { UInt64($0 - range.lowerBound) }
        for step in 0..<count {
            let candidate = range.lowerBound + UInt32((start + step) % count)
            guard !unavailable.contains(candidate), let lock = Self.claim(candidate) else { continue }
            let mark = Self.mark(of: lock)
            if mark == owner || (!mark.isEmpty && !FileManager.default.fileExists(atPath: mark)) {
                // Ours, from a run that died with it in use, or a nexlet's whose state directory is gone (nobody
                // will recover its orphans): whatever still runs under it goes first.
                guard (try? ProcessSandbox(uid: candidate, gid: candidate).killAllProcesses()) != nil else {
                    Self.unlock(candidate, clean: false)
                    continue
                }
            } else if !mark.isEmpty {
                Self.unlock(candidate, clean: false)  // another nexlet's, which died with it in use
                continue
            }
            Self.write(owner, to: lock)
            cursor.withLock { $0 = candidate == range.upperBound ? range.lowerBound : candidate + 1 }
            return candidate
        }
        return nil
    }

    /// Kills whatever still runs under `uid` (a uid recorded for an orphan of a previous run), unless some nexlet
    /// holds it now or another nexlet's mark is on it. Blocking. Returns whether it did.
    @discardableResult
    func reclaim(_ uid: UInt32) -> Bool {
        guard range.contains(uid), let lock = Self.claim(uid) else { return false }
        let mark = Self.mark(of: lock)
        guard mark.isEmpty || mark == owner else {
            Self.unlock(uid, clean: false)
            return false
        }
        do {
            try ProcessSandbox(uid: uid, gid: uid).killAllProcesses()
            Self.unlock(uid, clean: true)
            return true
        } catch {
            Self.unlock(uid, clean: false)
            return false
        }
    }

    /// Reclaims every uid whose lock file carries this nexlet's mark but is not held: uids a crashed predecessor
    /// had in use (also those of workloads it had not recorded yet). Blocking.
    func reclaimAbandoned() {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: Self.lockDirectory)) ?? []
        for uid in entries.compactMap(UInt32.init) where range.contains(uid) && Self.markOnDisk(uid) == owner {
            reclaim(uid)
        }
    }

    /// A clean release: nothing runs under `uid` any more (the caller killed it), so the mark goes.
    func release(_ uid: UInt32) {
        Self.unlock(uid, clean: true)
    }

    /// A release as a crash would leave it: the lock goes, the mark stays.
    func abandon(_ uid: UInt32) {
        Self.unlock(uid, clean: false)
    }

    /// Takes `uid` unless a nexlet of this process or another process on this host holds it; returns the lock's
    /// descriptor (-1 when locks are unavailable here).
    private static func claim(_ uid: UInt32) -> Int32? {
        leased.withLock { leased -> Int32? in
            guard leased[uid] == nil, let lock = lockHostWide(uid) else { return nil }
            leased[uid] = lock
            return lock
        }
    }

    private static func unlock(_ uid: UInt32, clean: Bool) {
        let lock = leased.withLock { $0.removeValue(forKey: uid) }
        guard let lock, lock >= 0 else { return }
        if clean { _ = ftruncate(lock, 0) }
        close(lock)
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

    /// The owner mark in a held lock file ("" when empty or when locks are unavailable).
    private static func mark(of lock: Int32) -> String {
        guard lock >= 0 else { return "" }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = pread(lock, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    private static func markOnDisk(_ uid: UInt32) -> String {
        (try? String(contentsOfFile: "\(lockDirectory)/\(uid)", encoding: .utf8)) ?? ""
    }

    private static func hasMark(_ uid: UInt32) -> Bool { !markOnDisk(uid).isEmpty }

    private static func write(_ mark: String, to lock: Int32) {
        guard lock >= 0 else { return }
        let bytes = Array(mark.utf8)
        _ = ftruncate(lock, 0)
        _ = bytes.withUnsafeBytes { pwrite(lock, $0.baseAddress, $0.count, 0) }
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
        if wasHeld { uids.abandon(uid) }
    }

    deinit {
        let (uid, home, uids) = (uid, home, uids)
        let phase = phase.withLock { $0 }
        if phase == .abandoned { return }
        guard phase == .retired else {
            // Not retired: the nexlet went away without stopping the workload (e.g. it keeps running for
            // the next instance to find); leave its processes and home alone, and the uid marked as ours.
            uids.abandon(uid)
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

    init(range: ClosedRange<UInt32>, owner: String) throws {
        uids = WorkloadUIDs(range: range, owner: owner)
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
