import Foundation
import Testing
@testable import JSONSchema

@Test func jsonValueKeepsIntegersAndRoundTrips() throws {
    let text = #"{"a":[1,2.5,true,null,"x"],"big":9007199254740993}"#
    let value = try JSONValue(parsing: Data(text.utf8))
    guard case .object(let object) = value else { Issue.record("not an object"); return }
    #expect(object["big"] == .integer(9_007_199_254_740_993))
    #expect(object["a"] == .array([.integer(1), .number(2.5), .bool(true), .null, .string("x")]))
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let again = try JSONValue(parsing: encoder.encode(value))
    #expect(again == value)
}

@Test func jsonValueRejectsGarbage() {
    let error = #expect(throws: DecodingError.self) { try JSONValue(parsing: Data("{nope".utf8)) }
    #expect({ if case .dataCorrupted? = error { true } else { false } }(), "\(String(describing: error))")
}
