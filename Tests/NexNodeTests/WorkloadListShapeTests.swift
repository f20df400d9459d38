import Foundation
@testable import NexNode
import Testing

@Suite struct WorkloadListShapeTests {
    @Test(arguments: [
        (#"[{"id":"a"}]"#, true), (" \n[ {} ]\t", true), ("[]", false), ("[ \n ]", false), ("null", false),
        ("", false), (#"{"id":"a"}"#, false), ("[", false), ("]", false),
    ])
    func onlyNonEmptyArraysPassThrough(text: String, expected: Bool) {
        #expect(ControlPlane.isNonEmptyJSONArray(Data(text.utf8)) == expected)
    }
}
