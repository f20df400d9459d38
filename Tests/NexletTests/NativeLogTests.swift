import Foundation
import NATSKit
import NATSTestSupport
import NexClient
import Nexlet
import NexProtocol
import Testing

/// Workload output on `$NEX.FEED.<ns>.logs.<id>.stdout|stderr`, line by line and in order.
@Suite struct NativeLogTests {
    @Test func linesArriveInOrderOnTheirStreams() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let events = try await EventLog(user, from: "user")
            let talker = try harness.script("talker", """
                i=0
                while [ $i -lt 200 ]; do echo "out $i"; echo "err $i" >&2; i=$((i+1)); done
                printf 'no newline at the end'
                """)
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "file://\(talker)")))
            let id = deployed.response.id
            _ = try await events.waitForStopped(id)
            try await logs.waitFor("no newline at the end", in: id)
            try await logs.waitFor("err 199\n", in: id, .stderr)

            // One message per line, the newline kept; the last, unterminated line as it was.
            let stdout = logs.chunks(id, .stdout).map(\.text)
            #expect(stdout == (0..<200).map { "out \($0)\n" } + ["no newline at the end"])
            #expect(logs.chunks(id, .stderr).map(\.text) == (0..<200).map { "err \($0)\n" })
        }
    }

    @Test func tenMebibyteBurstArrivesCompleteAndInOrder() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            // 10240 lines of exactly 1024 bytes (number, space, 1014 'x', newline): 10 MiB as fast as awk writes.
            let burst = try harness.script("burst", """
                exec awk 'BEGIN { s = sprintf("%1014s", ""); gsub(/ /, "x", s); for (i = 0; i < 10240; i++) printf "%08d %s\\n", i, s }'
                """)
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "file://\(burst)")))
            let id = deployed.response.id
            let total = 10 * 1024 * 1024
            try await eventually("10 MiB on the feed", timeout: .seconds(120), poll: .milliseconds(50)) {
                logs.chunks(id, .stdout).reduce(0) { $0 + $1.bytes.count } >= total
            }
            let chunks = logs.chunks(id, .stdout)
            #expect(chunks.reduce(0) { $0 + $1.bytes.count } == total)
            #expect(chunks.count == 10240)
            let padding = String(repeating: "x", count: 1014)
            var inOrder = true
            for (index, chunk) in chunks.enumerated() where chunk.text != String(format: "%08d ", index) + padding + "\n" {
                inOrder = false
                Issue.record("line \(index) is \(chunk.text.prefix(20))…")
                break
            }
            #expect(inOrder)
        }
    }

    @Test func longLinesAreSplitAt64KiB() async throws {
        try await withTeardown { teardown in
            let harness = try await NativeHarness.start()
            teardown.add { await harness.stop() }
            let user = try harness.client()
            let logs = try await LogCapture(user, namespace: "user")
            let events = try await EventLog(user, from: "user")
            let long = try harness.script("long", """
                head -c 100000 /dev/zero | tr '\\0' y
                echo
                echo after
                """)
            let deployed = try await user.deploy(nativeRequest(lifecycle: .job, runRequest: runRequest(uri: "file://\(long)")))
            let id = deployed.response.id
            _ = try await events.waitForStopped(id)
            try await logs.waitFor("after\n", in: id)
            let sizes = logs.chunks(id, .stdout).map(\.bytes.count)
            #expect(sizes == [65536, 100_000 - 65536 + 1, 6])
        }
    }
}
