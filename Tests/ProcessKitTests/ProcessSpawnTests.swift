#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessSpawnTests {
    typealias Support = ProcessTestSupport

    @Test func exitCodeOutputAndIdentity() async throws {
        let process = try await RunningProcess.spawn(Support.shell("echo hello; echo oops >&2; exit 3"))
        #expect(process.processGroup == process.pid)
        #expect(process.identity.pid == process.pid)
        #expect(process.identity.processGroup == process.pid)
        #expect(process.identity.startTime > 0)
        let lines = try await Support.collect(process.output)
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["hello"])
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["oops"])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 3))
        #expect(process.currentExitStatus == .exited(code: 3))
        // Delivered once, the same to every later caller.
        #expect(await process.exitStatus == .exited(code: 3))
    }

    @Test func ownProcessGroupAndStartTime() async throws {
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]))
        let stat = try #require(ProcStat.read(pid: process.pid))
        #expect(stat.processGroup == process.pid)
        #expect(stat.parent == getpid())
        #expect(getpgid(process.pid) != getpgrp())
        #expect(stat.startTime == process.identity.startTime)
        #expect(OrphanControl.isRunning(process.identity))
        #expect(await process.stop(grace: .seconds(5)) == .signaled(signal: SIGTERM))
    }

    @Test func argvZeroIsTheExecutable() async throws {
        let process = try await RunningProcess.spawn(
            ProcessSpec(executablePath: "/bin/cat", arguments: ["/proc/self/cmdline"]))
        let lines = try await Support.collect(process.output)
        let bytes = lines.flatMap(\.bytes)
        let argv = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        #expect(argv == ["/bin/cat", "/proc/self/cmdline"])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func argumentsArePassedVerbatim() async throws {
        let process = try await RunningProcess.spawn(
            ProcessSpec(executablePath: "/usr/bin/printf", arguments: ["%s|", "one", "two words", "", "$HOME"]))
        let lines = try await Support.collect(process.output)
        #expect(lines == [LogLine(stream: .stdout, bytes: Array("one|two words||$HOME|".utf8), endsWithNewline: false)])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func environmentIsExactlyWhatWasGiven() async throws {
        let environment = ["A": "1", "B_VAR": "x y = z", "EMPTY": ""]
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/usr/bin/env", environment: environment))
        let lines = try await Support.collect(process.output)
        #expect(lines.map(\.text).sorted() == ["A=1", "B_VAR=x y = z", "EMPTY="])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))

        let empty = try await RunningProcess.spawn(ProcessSpec(executablePath: "/usr/bin/env"))
        #expect(try await Support.collect(empty.output).isEmpty)
        #expect(await empty.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func workingDirectory() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try await RunningProcess.spawn(
            ProcessSpec(executablePath: "/bin/pwd", workingDirectory: directory.path))
        let lines = try await Support.collect(process.output)
        #expect(lines.map(\.text) == [directory.resolvingSymlinksInPath().path])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func standardInputIsWrittenAndClosed() async throws {
        let input = Array("line one\nline two".utf8)
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/cat", standardInput: input))
        let lines = try await Support.collect(process.output)
        #expect(lines.map(\.text) == ["line one", "line two"])
        #expect(lines.map(\.endsWithNewline) == [true, false])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func stdinIsDevNullByDefault() async throws {
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/cat"))
        #expect(try await Support.collect(process.output).isEmpty)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func childThatIgnoresStdinDoesNotHurtTheNode() async throws {
        // 4 MiB of stdin to a child that exits at once: the write fails with EPIPE, no SIGPIPE.
        let input = [UInt8](repeating: 0x41, count: 4 << 20)
        let process = try await RunningProcess.spawn(Support.shell("exit 0", stdin: input))
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        let again = try await RunningProcess.spawn(Support.shell("exit 5"))
        #expect(await again.waitForExit(timeout: .seconds(10)) == .exited(code: 5))
    }

    @Test func signalDispositionsAreDefaultAndMaskIsEmpty() async throws {
        // The node ignores SIGINT (as when started from a script with `trap '' INT`); the child
        // must not inherit that.
        let previous = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previous) }
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/cat", arguments: ["/proc/self/status"]))
        let lines = try await Support.collect(process.output).map(\.text)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
        let ignored = try #require(Self.signalMask(named: "SigIgn", in: lines))
        let blocked = try #require(Self.signalMask(named: "SigBlk", in: lines))
        #expect(blocked == 0)
        // Nothing ignored: not SIGINT, and not glibc's reserved 32 and 33 either (plain
        // posix_spawn with a sigfillset() default set leaves those two ignored).
        #expect(ignored == 0)
    }

    private static func signalMask(named name: String, in lines: [String]) -> UInt64? {
        lines.first { $0.hasPrefix(name + ":") }.flatMap { line in
            UInt64(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16)
        }
    }

    @Test func onlyStandardDescriptorsAreInherited() async throws {
        // A descriptor opened without O_CLOEXEC elsewhere in the node must not leak either.
        let leaky = open("/dev/null", O_RDONLY)
        #expect(leaky >= 0)
        defer { close(leaky) }
        let process = try await RunningProcess.spawn(ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]))
        // Right after exec the dynamic loader briefly holds a library open (fd 3); an inherited descriptor stays.
        let onlyStandard = await Support.eventually(.seconds(10)) {
            (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/fd").sorted()) == ["0", "1", "2"]
        }
        #expect(onlyStandard, "fds: \((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.pid)/fd").sorted()) ?? [])")
        let stdin = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.pid)/fd/0")
        #expect(stdin == "/dev/null")
        await process.stop()
    }

    @Test func threadPerChildReaperFallback() async throws {
        let process = try await RunningProcess.spawn(Support.shell("echo fallback; exit 9"), strategy: .threadPerChild)
        #expect(try await Support.collect(process.output).map(\.text) == ["fallback"])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 9))
        let sleeper = try await RunningProcess.spawn(
            ProcessSpec(executablePath: "/bin/sleep", arguments: ["1000"]), strategy: .threadPerChild)
        #expect(await sleeper.stop(grace: .seconds(5)) == .signaled(signal: SIGTERM))
        #expect(Support.isGone(sleeper.pid))
    }
}
#endif
