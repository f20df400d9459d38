#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

// issue 12: sandbox
/// Sandboxed spawns (fork/exec under a uid of its own). They need root; without it they are skipped.
@Suite(.enabled(if: ProcessSandbox.isAvailable, "sandboxed spawns need root"))
struct ProcessSandboxTests {
    typealias Support = ProcessTestSupport

    /// Uids below the nexlet's default range (61184…), one per test, so parallel tests never share one.
    static func sandbox(_ offset: UInt32) -> ProcessSandbox {
        ProcessSandbox(uid: 60_100 + offset, gid: 60_100 + offset)
    }

    /// A directory the sandboxed uid owns (mode 0700).
    static func home(for sandbox: ProcessSandbox) throws -> URL {
        let url = try Support.temporaryDirectory()
        chmod(url.path, 0o700)
        chown(url.path, sandbox.uid, sandbox.gid)
        return url
    }

    static func status(_ field: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(field + ":") }
            .map { $0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    @Test func runsUnderItsOwnIdsWithoutGroupsPrivilegesOrIgnoredSignals() async throws {
        let sandbox = Self.sandbox(1)
        let home = try Self.home(for: sandbox)
        defer { try? FileManager.default.removeItem(at: home) }
        // The parent ignores SIGINT (as a daemon might): the workload must still see it at its default.
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        var spec = Support.shell("cat /proc/self/status; echo cwd=$(pwd)")
        spec.workingDirectory = home.path
        spec.sandbox = sandbox
        let process = try await RunningProcess.spawn(spec)
        let lines = try await Support.collect(process.output)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        let text = lines.filter { $0.stream == .stdout }.map(\.text).joined(separator: "\n")
        #expect(Self.status("Uid", in: text) == "\(sandbox.uid)\t\(sandbox.uid)\t\(sandbox.uid)\t\(sandbox.uid)")
        #expect(Self.status("Gid", in: text) == "\(sandbox.gid)\t\(sandbox.gid)\t\(sandbox.gid)\t\(sandbox.gid)")
        #expect(Self.status("Groups", in: text) == "")
        #expect(Self.status("NoNewPrivs", in: text) == "1")
        #expect(Self.status("SigIgn", in: text) == "0000000000000000")
        #expect(Self.status("SigBlk", in: text) == "0000000000000000")
        #expect(Self.status("CapEff", in: text) == "0000000000000000")
        #expect(text.contains("cwd=\(home.path)"))
        #expect(process.processGroup == process.pid)
        #expect(ProcStat.read(pid: process.pid) == nil || getpgid(process.pid) == process.pid)
    }

    @Test func cannotSignalAnotherUidOrTheParentButItself() async throws {
        var victimSpec = ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"])
        victimSpec.sandbox = Self.sandbox(2)
        let victim = try await RunningProcess.spawn(victimSpec)
        var attacker = Support.shell(
            "kill -TERM -\(victim.pid) 2>&1; echo group=$?; kill -TERM \(getpid()) 2>&1; echo node=$?; kill -0 $$; echo self=$?")
        attacker.sandbox = Self.sandbox(3)
        let process = try await RunningProcess.spawn(attacker)
        let text = try await Support.collect(process.output).map(\.text).joined(separator: "\n")
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        #expect(text.contains("group=1"), "\(text)")
        #expect(text.contains("node=1"), "\(text)")
        #expect(text.contains("self=0"), "\(text)")  // positive control
        #expect(text.localizedCaseInsensitiveContains("not permitted"), "\(text)")
        #expect(victim.currentExitStatus == nil)  // the victim still runs
        #expect(await victim.stop(grace: .seconds(5)) == .signaled(signal: SIGTERM))
    }

    @Test func execFailureUnderTheSandboxIsReportedNotAChildExiting127() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("private.sh").path
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: URL(fileURLWithPath: script))
        chmod(script, 0o700)  // root may run it, the sandboxed uid may not
        var spec = ProcessSpec(executablePath: script)
        spec.sandbox = Self.sandbox(4)
        await #expect(throws: ProcessError.spawnFailed(path: script, errno: EACCES)) {
            _ = try await RunningProcess.spawn(spec)
        }
        spec.workingDirectory = "/root"
        spec.executablePath = "/bin/true"
        // A directory the uid may not enter is a clear error too.
        await #expect(throws: ProcessError.sandboxFailed(path: "/bin/true", step: "chdir into the working directory", errno: EACCES)) {
            _ = try await RunningProcess.spawn(spec)
        }
        spec.workingDirectory = nil
        let process = try await RunningProcess.spawn(spec)  // positive control
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func verifiedExecutableRunsTheCheckedBytesEvenIfThePathIsSwapped() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("artifact").path
        try Data("#!/bin/sh\necho genuine \"$@\"\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o555)
        let evil = directory.appendingPathComponent("evil").path
        try Data("#!/bin/sh\necho evil\n".utf8).write(to: URL(fileURLWithPath: evil))
        chmod(evil, 0o555)
        // The check reads the descriptor, then (as an attacker racing it would) the path is replaced.
        let verification = ExecutableVerification(label: "genuine") { fd in
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = pread(fd, &buffer, buffer.count, 0)
            guard count > 0, String(decoding: buffer[..<count], as: UTF8.self).contains("genuine") else { return "not genuine" }
            rename(evil, path)
            return nil
        }
        for sandbox in [nil, Self.sandbox(5)] {
            try Data("#!/bin/sh\necho genuine \"$@\"\n".utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o555)
            try Data("#!/bin/sh\necho evil\n".utf8).write(to: URL(fileURLWithPath: evil))
            chmod(evil, 0o555)
            var spec = ProcessSpec(executablePath: path, arguments: ["a", "b"])
            spec.verification = verification
            spec.sandbox = sandbox
            let process = try await RunningProcess.spawn(spec)
            let text = try await Support.collect(process.output).map(\.text).joined(separator: "\n")
            #expect(text == "genuine a b", "sandbox \(String(describing: sandbox))")
            #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
            // Now the path holds the evil bytes: the check refuses them and nothing starts.
            await #expect(throws: ProcessError.executableRejected(path: path, reason: "not genuine")) {
                _ = try await RunningProcess.spawn(spec)
            }
        }
    }

    @Test func killAllProcessesReachesWhatLeftTheProcessGroup() async throws {
        let sandbox = Self.sandbox(6)
        let directory = try Self.home(for: sandbox)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("daemon.pid").path
        // The daemon writes its pid once it has left the group; the leader waits for that before it exits.
        var spec = Support.shell(
            "setsid sh -c 'echo $$ > \(pidFile); exec sleep 1000' </dev/null >/dev/null 2>&1 & while [ ! -s \(pidFile) ]; do sleep 0.01; done")
        spec.sandbox = sandbox
        let process = try await RunningProcess.spawn(spec)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        let daemon = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await Support.eventually { ProcessSandbox.uidsInUse().contains(sandbox.uid) })
        #expect(!Support.isGone(daemon))
        try sandbox.killAllProcesses()
        #expect(await Support.eventually(.seconds(10)) { Support.isGone(daemon) })
        #expect(await Support.eventually(.seconds(10)) { !ProcessSandbox.uidsInUse().contains(sandbox.uid) })
    }

    @Test func rootIsRefusedAsASandbox() async throws {
        var spec = ProcessSpec(executablePath: "/bin/true")
        spec.sandbox = ProcessSandbox(uid: 0, gid: 0)
        await #expect(throws: ProcessError.invalidArgument("a sandboxed process may not run as uid or gid 0")) {
            _ = try await RunningProcess.spawn(spec)
        }
    }
}
#endif
