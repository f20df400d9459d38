#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessFunctionTests {
    typealias Support = ProcessTestSupport

    @Test func stdinInStdoutOutByteForByte() async throws {
        // Bigger than a pipe buffer, with and without newlines, not ending in one.
        var input: [UInt8] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300_000 {
            input.append(UInt8.random(in: 0...255, using: &generator))
        }
        input.append(contentsOf: Array("\nlast line without newline".utf8))
        let result = try await FunctionRunner.run(ProcessSpec(executablePath: "/bin/cat"), input: input)
        #expect(result.status == .exited(code: 0))
        #expect(result.output == input)
    }

    @Test func stderrGoesToTheLogSinkAndTheExitCodeIsReported() async throws {
        let lines = LineCollector()
        let result = try await FunctionRunner.run(
            Support.shell("read name; echo \"hello $name\"; echo 'working on it' >&2; exit 4"),
            input: Array("nex\n".utf8)
        ) { line in
            await lines.add(line)
        }
        #expect(result.status == .exited(code: 4))
        #expect(result.output == Array("hello nex\n".utf8))
        #expect(await lines.lines.map(\.stream) == [.stderr])
        #expect(await lines.texts == ["working on it"])
        #expect(result.duration < .seconds(30))
    }

    @Test func outputOverTheCapKillsTheFunction() async throws {
        let limits = FunctionLimits(maximumOutputBytes: 100_000, timeout: .seconds(20))
        let spec = Support.shell("echo $$; exec yes")
        await #expect(throws: FunctionError.outputTooLarge(limit: 100_000)) {
            try await FunctionRunner.run(spec, input: [], limits: limits)
        }
        #expect(await Support.eventually(.seconds(5)) { Support.zombieChildren().isEmpty })
    }

    @Test func slowFunctionTimesOutAndIsStopped() async throws {
        let limits = FunctionLimits(timeout: .milliseconds(300), stopGrace: .milliseconds(200))
        let clock = ContinuousClock()
        let began = clock.now
        let pidFile = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let path = pidFile.appendingPathComponent("pid").path
        await #expect(throws: FunctionError.timedOut(after: .milliseconds(300))) {
            try await FunctionRunner.run(Support.shell("echo $$ > \(path); exec sleep 1000"), input: [], limits: limits)
        }
        #expect(clock.now - began < .seconds(5))
        let pid = try #require(Int32(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcStat.read(pid: pid) == nil)  // stopped and reaped before the error
    }

    @Test func spawnFailureIsReported() async throws {
        await #expect(throws: FunctionError.spawnFailed(.executableNotFound(path: "/nonexistent/fn"))) {
            try await FunctionRunner.run(ProcessSpec(executablePath: "/nonexistent/fn"), input: [])
        }
    }
}
#endif
