#if os(Linux)
import CProcessShim
import Foundation
import Glibc

/// The unprivileged identity a workload process runs under. The child (fork/exec, not `posix_spawn`) clears its
/// supplementary groups, sets gid then uid (real, effective and saved), sets `PR_SET_NO_NEW_PRIVS` and only
/// then changes into its working directory and execs, so the directory and the executable are checked with the
/// workload's own permissions. Spawning with a sandbox needs root.
public struct ProcessSandbox: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
}

extension ProcessSandbox {
    /// True when this process can start sandboxed children (it runs as root).
    public static var isAvailable: Bool { geteuid() == 0 }

    /// Every uid some live process (not a zombie) runs under (real, effective, saved or file-system uid),
    /// from `/proc/<pid>/status`. A uid in this set must not be handed to a new workload.
    public static func uidsInUse() -> Set<UInt32> {
        var uids = Set<UInt32>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(entry) != nil {
            guard let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8) else { continue }
            let lines = status.split(separator: "\n")
            // A zombie runs nothing any more (it only waits for its parent to reap it).
            guard let line = lines.first(where: { $0.hasPrefix("Uid:") }),
                  !lines.contains(where: { $0.hasPrefix("State:") && $0.contains("Z") })
            else { continue }
            for field in line.dropFirst(4).split(whereSeparator: { $0 == "\t" || $0 == " " }) {
                if let uid = UInt32(field) { uids.insert(uid) }
            }
        }
        return uids
    }

    /// Sends SIGKILL to every process running under ``uid`` (what a workload left behind outside its process
    /// group, e.g. a daemonised child). Blocking (a short-lived helper process); needs root.
    public func killAllProcesses() throws(ProcessError) {
        let rc = cps_kill_all_of_uid(uid_t(uid))
        if rc != 0 {
            throw .systemCallFailed(call: "kill(-1) as uid \(uid)", errno: rc)
        }
    }
}
#endif
