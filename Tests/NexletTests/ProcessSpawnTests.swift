#if os(Linux)
import Foundation
import Glibc
import Testing
@testable import Nexlet

@Suite struct ProcessSpawnTests {
    @Test func exitCodeAndOutput() async throws {
        let process = try await RunningProcess.spawn(ProcessTestSupport.shell("echo hello; echo oops >&2; exit 3"))
        let lines = try await ProcessTestSupport.collect(process.output)
        #expect(lines.filter { $0.stream == .stdout }.map(\.text) == ["hello"])
        #expect(lines.filter { $0.stream == .stderr }.map(\.text) == ["oops"])
        #expect(await process.waitForExit(timeout: .seconds(10)) == .exited(code: 3))
        #expect(process.processGroup == process.pid)
        #expect(process.identity.pid == process.pid)
        #expect(process.identity.startTime > 0)
    }
}
#endif
