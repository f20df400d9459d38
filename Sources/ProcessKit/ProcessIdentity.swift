#if os(Linux)
import Glibc

/// Names one process unambiguously, even after its pid has been reused: the pid, its process
/// group and its start time in clock ticks after boot (`/proc/<pid>/stat` field 22).
///
/// The nexlet stores these in its data directory so that, after a crash of the node, it can find
/// the workloads that survived and stop them (see ``OrphanControl``).
public struct ProcessIdentity: Sendable, Hashable, Codable {
    public var pid: Int32
    public var processGroup: Int32
    public var startTime: UInt64

    public init(pid: Int32, processGroup: Int32, startTime: UInt64) {
        self.pid = pid
        self.processGroup = processGroup
        self.startTime = startTime
    }

    /// The identity of the live process `pid`, read from `/proc`; `nil` if it does not exist or
    /// is a zombie.
    public static func current(pid: Int32) -> ProcessIdentity? {
        guard let stat = ProcStat.read(pid: pid), !stat.isZombie else {
            return nil
        }
        return ProcessIdentity(pid: pid, processGroup: stat.processGroup, startTime: stat.startTime)
    }
}
#endif
