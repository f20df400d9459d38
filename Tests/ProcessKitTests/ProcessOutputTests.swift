#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import ProcessKit

@Suite struct ProcessOutputTests {
    typealias Support = ProcessTestSupport

    @Test func linesArriveInOrderPerStream() async throws {
        let process = try await RunningProcess.spawn(Support.shell(
            "i=0; while [ $i -lt 1000 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done"))
        let lines = try await Support.collect(process.output)
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == (0..<1000).map { "out\($0)" })
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == (0..<1000).map { "err\($0)" })
        #expect(lines.allSatisfy { $0.endsWithNewline })
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    @Test func partialLastLineIsFlushed() async throws {
        let process = try await RunningProcess.spawn(Support.shell("printf 'a\\nb'; printf 'tail' >&2"))
        let lines = try await Support.collect(process.output)
        #expect(lines.filter { $0.stream == .stdout } == [
            LogLine(stream: .stdout, bytes: Array("a".utf8), endsWithNewline: true),
            LogLine(stream: .stdout, bytes: Array("b".utf8), endsWithNewline: false),
        ])
        #expect(lines.filter { $0.stream == .stderr } == [
            LogLine(stream: .stderr, bytes: Array("tail".utf8), endsWithNewline: false),
        ])
    }

    @Test func longLinesAreSplitAt64KiB() async throws {
        // 200000 x's then a newline, then a line of exactly 64 KiB.
        let process = try await RunningProcess.spawn(Support.shell(
            "head -c 200000 /dev/zero | tr '\\0' x; echo; head -c 65536 /dev/zero | tr '\\0' y; echo; echo end"))
        let lines = try await Support.collect(process.output)
        #expect(lines.map(\.bytes.count) == [65536, 65536, 65536, 3392, 65536, 3])
        #expect(lines.map(\.endsWithNewline) == [false, false, false, true, true, true])
        #expect(lines[0..<4].allSatisfy { $0.bytes.allSatisfy { $0 == UInt8(ascii: "x") } })
        #expect(lines[4].bytes.allSatisfy { $0 == UInt8(ascii: "y") })
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    /// 10 MiB on stdout and 10 MiB on stderr as fast as the child can, a consumer that keeps
    /// pausing: nothing lost, nothing reordered, no deadlock.
    @Test func tenMebibyteBurstOnBothStreamsWithASlowConsumer() async throws {
        let size = 10 * 1024 * 1024
        let pattern = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/"
        let process = try await RunningProcess.spawn(Support.shell(
            "(yes \(pattern)E | head -c \(size) >&2) & yes \(pattern)O | head -c \(size); wait"))
        let expected = [LogStream.stdout: Array((pattern + "O").utf8), .stderr: Array((pattern + "E").utf8)]
        let totals = try await Support.withDeadline(.seconds(120)) {
            var bytes = [LogStream.stdout: 0, .stderr: 0]
            var malformed = 0
            var count = 0
            for await line in process.output {
                bytes[line.stream, default: 0] += line.bytes.count + (line.endsWithNewline ? 1 : 0)
                let full = expected[line.stream] ?? []
                if line.endsWithNewline ? line.bytes != full : !full.starts(with: line.bytes) {
                    malformed += 1
                }
                count += 1
                if count % 4000 == 0 {
                    try? await Task.sleep(for: .milliseconds(5))  // a slow consumer
                }
            }
            return (bytes, malformed)
        }
        #expect(totals.0[.stdout] == size)
        #expect(totals.0[.stderr] == size)
        #expect(totals.1 == 0)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    /// While nobody reads, the readers pause at the high-water mark (the child blocks on the
    /// full pipe); reading afterwards yields everything.
    @Test func bufferingIsBoundedAndLossless() async throws {
        let size = 8 * 1024 * 1024
        let process = try await RunningProcess.spawn(Support.shell(
            "(head -c \(size) /dev/zero | tr '\\0' e | fold -w 100 >&2) & head -c \(size) /dev/zero | tr '\\0' o | fold -w 100; wait"))
        let buffer = process.output.consumer.buffer
        #expect(await Support.eventually(.seconds(20)) {
            let occupancy = buffer.occupancy
            return occupancy.stdoutPaused && occupancy.stderrPaused
        })
        let occupancy = buffer.occupancy
        let bound = buffer.highWater + 4 * 64 * 1024 + 2 * LineSplitter.maximumLineLength
        #expect(occupancy.stdout <= bound)
        #expect(occupancy.stderr <= bound)
        #expect(process.currentExitStatus == nil)  // blocked on the pipe, not finished

        let lines = try await Support.collect(process.output, timeout: .seconds(60))
        let stdoutBytes = lines.filter { $0.stream == .stdout }.reduce(0) { $0 + $1.bytes.count }
        let stderrBytes = lines.filter { $0.stream == .stderr }.reduce(0) { $0 + $1.bytes.count }
        #expect(stdoutBytes == size)
        #expect(stderrBytes == size)
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 0))
    }

    /// Output nobody will read is discarded once the handle is gone, so the child can finish.
    @Test func abandonedOutputDoesNotBlockTheChild() async throws {
        let pid = try await RunningProcess.spawn(Support.shell("head -c 8000000 /dev/zero; exit 0")).pid
        #expect(await Support.eventually(.seconds(20)) { ProcStat.read(pid: pid) == nil })
    }
}

@Suite struct LineSplitterTests {
    private func split(_ chunks: [String], limit: Int) -> [LogLine] {
        var splitter = LineSplitter(stream: .stdout, limit: limit)
        var lines: [LogLine] = []
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { splitter.feed($0, into: &lines) }
        }
        splitter.finish(into: &lines)
        return lines
    }

    private func render(_ lines: [LogLine]) -> [String] {
        lines.map { $0.text + ($0.endsWithNewline ? "⏎" : "") }
    }

    @Test func splitsAtNewlinesAcrossChunks() {
        #expect(render(split(["ab", "c\nd", "e\n\nf"], limit: 10)) == ["abc⏎", "de⏎", "⏎", "f"])
    }

    @Test func longLinesBecomePiecesOfTheLimit() {
        #expect(render(split(["abcdefghij\n"], limit: 4)) == ["abcd", "efgh", "ij⏎"])
        #expect(render(split(["ab", "cd", "ef"], limit: 4)) == ["abcd", "ef"])
    }

    @Test func lineOfExactlyTheLimitKeepsItsNewline() {
        #expect(render(split(["abcd\n"], limit: 4)) == ["abcd⏎"])
        #expect(render(split(["abcd", "\n"], limit: 4)) == ["abcd⏎"])
        #expect(render(split(["abcd"], limit: 4)) == ["abcd"])
        #expect(render(split(["abcde\n"], limit: 4)) == ["abcd", "e⏎"])
    }

    @Test func reassemblyIsExact() {
        let text = "one\ntwo three four five\n\nsix seven eight nine ten eleven"
        let lines = split([String(text.prefix(9)), String(text.dropFirst(9))], limit: 5)
        let rebuilt = lines.map { $0.text + ($0.endsWithNewline ? "\n" : "") }.joined()
        #expect(rebuilt == text)
        #expect(lines.allSatisfy { $0.bytes.count <= 5 })
    }

    @Test func emptyInputYieldsNothing() {
        #expect(split([], limit: 4).isEmpty)
        #expect(split([""], limit: 4).isEmpty)
    }
}
#endif
