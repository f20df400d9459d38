#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

// issue 14: limits
/// This process's own cgroup in the pids hierarchy, when it may make groups there.
private let pidsHierarchy: String? = {
    guard geteuid() == 0, let own = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) else { return nil }
    let lines = own.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false) }
    if FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.controllers") {
        return lines.first { $0.count == 3 && $0[1].isEmpty }.map { "/sys/fs/cgroup" + $0[2] }
    }
    guard FileManager.default.fileExists(atPath: "/sys/fs/cgroup/pids/cgroup.procs") else { return nil }
    return lines.first { $0.count == 3 && $0[1].split(separator: ",").contains("pids") }.map { "/sys/fs/cgroup/pids" + $0[2] }
}()

/// A spec with `cgroupProcsFiles` execs inside those cgroups (joined between clone and exec), with or without a
/// sandbox. Needs root and a pids hierarchy (v1 `/sys/fs/cgroup/pids` or v2).
@Suite(.enabled(if: pidsHierarchy != nil, "needs root and a cgroup pids hierarchy"))
struct ProcessCgroupTests {
    typealias Support = ProcessTestSupport

    static func makeGroup() throws -> String {
        let base = try #require(pidsHierarchy)
        let path = (base.hasSuffix("/") ? base : base + "/") + "nex-test-\(UUID().uuidString)"
        #expect(mkdir(path, 0o755) == 0)
        return path
    }

    @Test(arguments: [false, true])
    func theProcessExecsInsideItsCgroup(sandboxed: Bool) async throws {
        let group = try Self.makeGroup()
        defer { _ = rmdir(group) }
        var spec = Support.shell("cat /proc/self/cgroup; grep NoNewPrivs /proc/self/status")
        spec.cgroupProcsFiles = ["\(group)/cgroup.procs"]
        if sandboxed { spec.sandbox = ProcessSandbox(uid: 60_150, gid: 60_150) }
        let process = try await RunningProcess.spawn(spec)
        let lines = try await Support.collect(process.output)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        let text = lines.filter { $0.stream == .stdout }.map(\.text).joined(separator: "\n")
        let name = (group as NSString).lastPathComponent
        #expect(text.contains(name), "\(text)")
        // Sandboxing is what sets no_new_privs, not the cgroup.
        #expect(text.contains(sandboxed ? "NoNewPrivs:\t1" : "NoNewPrivs:\t0"), "\(text)")
        // Positive control: a spec without cgroups runs where this process is.
        let plain = try await RunningProcess.spawn(Support.shell("cat /proc/self/cgroup"))
        let plainText = try await Support.collect(plain.output).map(\.text).joined(separator: "\n")
        #expect(!plainText.contains(name))
    }

    @Test func aCgroupThatCannotBeJoinedFailsTheSpawn() async throws {
        var spec = Support.shell("echo ran")
        spec.cgroupProcsFiles = ["/sys/fs/cgroup/pids/nex-no-such-group/cgroup.procs"]
        await #expect(throws: ProcessError.self) { _ = try await RunningProcess.spawn(spec) }
    }
}
#endif
