import Foundation
import NATSSubjects
import NexProtocol
import Testing

@Suite("NUID ids")
struct NUIDTests {
    @Test("ids are 22 base62 characters, token-safe and without underscores")
    func shape() {
        for _ in 0..<1_000 {
            let id = NUID.next()
            #expect(id.utf8.count == 22)
            #expect(NUID.isValid(id))
            #expect(SubjectToken.isValid(id))
            #expect(!id.contains("_"))
        }
        #expect(!NUID.isValid("short"))
        #expect(!NUID.isValid("abcdefghijklmnopqrstu_"))
    }

    @Test("ids are unique across threads, and generators have different prefixes")
    func uniqueness() async {
        let perTask = 20_000
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<perTask).map { _ in NUID.next() } }
            }
            var all: [[String]] = []
            for await batch in group { all.append(batch) }
            return all
        }
        let ids = batches.flatMap { $0 }
        #expect(ids.count == 4 * perTask)
        #expect(Set(ids).count == ids.count)
        #expect(NUID().next().prefix(12) != NUID().next().prefix(12))
    }
}
