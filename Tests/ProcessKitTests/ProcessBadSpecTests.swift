#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessBadSpecTests {
    typealias Support = ProcessTestSupport

    private func spawnError(_ spec: ProcessSpec) async -> ProcessError? {
        do {
            let process = try await RunningProcess.spawn(spec)
            await process.stop()
            return nil
        } catch {
            return error
        }
    }

    @Test func missingExecutable() async throws {
        let error = await spawnError(ProcessSpec(executablePath: "/nonexistent/nex-artifact"))
        #expect(error == .executableNotFound(path: "/nonexistent/nex-artifact"))
        #expect(error?.description == "executable not found: /nonexistent/nex-artifact")
    }

    @Test func directoryAsExecutable() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = await spawnError(ProcessSpec(executablePath: directory.path))
        #expect(error == .executableIsDirectory(path: directory.path))
    }

    @Test func nonExecutableFile() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("artifact")
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let error = await spawnError(ProcessSpec(executablePath: file.path))
        #expect(error == .executableNotExecutable(path: file.path))
    }

    @Test func notARegularFile() async throws {
        let error = await spawnError(ProcessSpec(executablePath: "/dev/null"))
        #expect(error == .executableNotRegularFile(path: "/dev/null"))
    }

    @Test func invalidExecutableFormat() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("garbage")
        try Data([0x00, 0x01, 0x02, 0x03, 0xFF, 0xFE]).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        let error = await spawnError(ProcessSpec(executablePath: file.path))
        #expect(error == .spawnFailed(path: file.path, errno: ENOEXEC))
    }

    @Test func invalidWorkingDirectory() async throws {
        let error = await spawnError(ProcessSpec(executablePath: "/bin/true", workingDirectory: "/nonexistent/dir"))
        #expect(error == .invalidWorkingDirectory(path: "/nonexistent/dir"))
    }

    @Test func stringsThatCannotReachExecve() async throws {
        #expect(await spawnError(ProcessSpec(executablePath: "")) == .invalidArgument("executable path is empty"))
        #expect(await spawnError(ProcessSpec(executablePath: "/bin/true", arguments: ["a\0b"]))
            == .invalidArgument("argument 1 contains a NUL byte"))
        #expect(await spawnError(ProcessSpec(executablePath: "/bin/true", environment: ["A=B": "x"]))
            == .invalidArgument("environment variable name 'A=B' contains '='"))
        #expect(await spawnError(ProcessSpec(executablePath: "/bin/true", environment: ["": "x"]))
            == .invalidArgument("environment variable with an empty name"))
    }

    @Test func failedSpawnsLeaveNoZombie() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let garbage = directory.appendingPathComponent("garbage")
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x00]).write(to: garbage)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: garbage.path)
        for path in ["/nonexistent/x", directory.path, "/dev/null", garbage.path] {
            #expect(await spawnError(ProcessSpec(executablePath: path)) != nil)
        }
        // Other tests may have a child between exit and reap for an instant; ours never linger.
        #expect(await Support.eventually(.seconds(5)) { Support.zombieChildren().isEmpty })
    }
}
#endif
