import Foundation
import Logging
import OffPool
import ProcessKit

/// Finds workload processes of this nexlet that have no record: a crash can fall between spawning a process
/// and writing its record. Every workload process carries `NEX_WORKLOAD_OWNER=<state dir>` and
/// `NEX_WORKLOAD_ID=<id>` in its environment, which `/proc/<pid>/environ` shows.
enum OrphanScan {
    /// Stops (SIGTERM to the group, grace, SIGKILL) every process group led by a process of `owner` whose
    /// workload is not in `keeping`.
    static func stopUnrecorded(owner: String, keeping: Set<String>, grace: Duration, logger: Logger) async -> [OrphanRecovery] {
        let found = (try? await Blocking.run { candidates(owner: owner, keeping: keeping) }) ?? []
        return await withTaskGroup(of: OrphanRecovery.self) { group in
            for (workloadID, namespace, identity) in found {
                group.addTask {
                    let outcome = await OrphanControl.terminate(identity, grace: grace, killTimeout: grace)
                    logger.warning("stopped an unrecorded workload process left over from a previous run", metadata: [
                        "workload": "\(workloadID)", "pid": "\(identity.pid)", "outcome": "\(outcome)",
                    ])
                    return OrphanRecovery(record: NativeProcessRecord(workloadID: workloadID, namespace: namespace, identity: identity), outcome: outcome)
                }
            }
            var all: [OrphanRecovery] = []
            for await recovery in group { all.append(recovery) }
            return all
        }
    }

    /// Process-group leaders whose environment names `owner` and a workload not in `keeping`.
    static func candidates(owner: String, keeping: Set<String>) -> [(String, String, ProcessIdentity)] {
        let ownerEntry = "\(WorkloadEnvironment.owner)=\(owner)"
        let own = getpid()
        var result: [(String, String, ProcessIdentity)] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != own,
                  let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard variables.contains(ownerEntry),
                  let workloadID = value(of: WorkloadEnvironment.workloadID, in: variables), !keeping.contains(workloadID),
                  let identity = ProcessIdentity.current(pid: pid), identity.processGroup == pid
            else { continue }
            result.append((workloadID, value(of: WorkloadEnvironment.namespace, in: variables) ?? "", identity))
        }
        return result
    }

    private static func value(of name: String, in variables: [String]) -> String? {
        variables.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }
}
