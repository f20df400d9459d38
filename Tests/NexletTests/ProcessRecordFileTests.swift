import Foundation
import Logging
@testable import Nexlet
import ProcessKit
import Testing

@Suite struct ProcessRecordFileTests {
    func record(_ id: String, pid: Int32 = 4242) -> NativeProcessRecord {
        NativeProcessRecord(workloadID: id, namespace: "user", identity: ProcessIdentity(pid: pid, processGroup: pid, startTime: 7))
    }

    @Test func changesSurviveAReopenAndChurnIsCompacted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let ledger = ProcessRecordFile(stateDirectory: directory, logger: Logger(label: "test"))
        for index in 0..<3000 {
            await ledger.record(record("W\(index)"))
            if index % 3 != 0 { await ledger.remove("W\(index)") }
        }
        await ledger.record(record("W0", pid: 99))
        let expected = stride(from: 0, to: 3000, by: 3).map { "W\($0)" }.sorted()
        #expect(await ledger.all().map(\.workloadID) == expected)
        #expect(await ledger.all().first { $0.workloadID == "W0" }?.pid == 99)
        // Dead lines were compacted away along the way: far fewer lines than the 5,001 changes.
        let lines = try String(contentsOf: ledger.file, encoding: .utf8).split(separator: "\n").count
        #expect(lines < 4 * expected.count + 1100)
        // A second instance (the next life) sees the same live set.
        let reopened = ProcessRecordFile(stateDirectory: directory, logger: Logger(label: "test"))
        #expect(await reopened.all().map(\.workloadID) == expected)
        #expect(ProcessRecordFile.fold(contentsOf: ledger.file).live.count == expected.count)
    }
}
