import Testing
@testable import JSONSchema

/// Exact numeric comparison and `multipleOf`.
@Suite struct NumberTests {
    @Test func exactComparison() {
        #expect(ExactNumber.compare(.integer(9_007_199_254_740_993), .number(9_007_199_254_740_992)) == 1)
        #expect(ExactNumber.compare(.number(9_007_199_254_740_992), .integer(9_007_199_254_740_993)) == -1)
        #expect(ExactNumber.compare(.integer(1), .number(1.0)) == 0)
        #expect(ExactNumber.compare(.integer(1), .number(1.5)) == -1)
        #expect(ExactNumber.compare(.integer(-1), .number(-1.5)) == 1)
        #expect(ExactNumber.compare(.integer(Int64.max), .number(9.3e18)) == -1)
        #expect(ExactNumber.compare(.integer(Int64.min), .number(-1e19)) == 1)
        #expect(ExactNumber.compare(.number(-0.0), .integer(0)) == 0)
        #expect(ExactNumber.compare(.string("1"), .integer(1)) == nil)
    }

    @Test(arguments: [
        (JSONValue.integer(10), JSONValue.integer(5), true),
        (.integer(10), .integer(3), false),
        (.integer(Int64.min), .integer(1), true),
        (.number(0.3), .number(0.1), true),
        (.number(0.35), .number(0.1), false),
        (.number(0.0075), .number(0.0001), true),
        (.number(19.99), .number(0.01), true),
        (.number(1e300), .integer(2), true),
        (.number(1e-300), .number(1e-301), true),
        (.number(1e-300), .integer(3), false),
        (.integer(9_223_372_036_854_775_807), .number(0.5), true),
        (.integer(7), .number(1e-20), true),
        (.number(4.5), .number(1.5), true),
        (.integer(0), .number(0.7), true),
        (.number(-4.5), .number(1.5), true),
        (.number(.leastNonzeroMagnitude), .number(.leastNonzeroMagnitude), true),
        (.number(.greatestFiniteMagnitude), .number(.leastNonzeroMagnitude), true),
        (.integer(1), .number(1.7976931348623157e308), false),
    ])
    func multipleOf(_ value: JSONValue, _ divisor: JSONValue, _ expected: Bool) {
        #expect(ExactNumber.isMultiple(value, of: divisor) == expected)
    }

    @Test func shortestDecimalParsing() {
        #expect(ExactNumber.decimal(fromShortestText: "0.1") == .init(mantissa: 1, exponent: -1))
        #expect(ExactNumber.decimal(fromShortestText: "1e-05") == .init(mantissa: 1, exponent: -5))
        #expect(ExactNumber.decimal(fromShortestText: "1.25e+20") == .init(mantissa: 125, exponent: 18))
        #expect(ExactNumber.decimal(fromShortestText: "1200.0") == .init(mantissa: 12, exponent: 2))
        #expect(ExactNumber.decimal(fromShortestText: "abc") == nil)
    }

    @Test func schemaEquality() throws {
        #expect(JSONValue.integer(1).schemaEquals(.number(1.0)))
        #expect(!JSONValue.integer(1).schemaEquals(.bool(true)))
        #expect(!JSONValue.integer(0).schemaEquals(.bool(false)))
        #expect(JSONValue.number(-0.0).schemaEquals(.integer(0)))
        #expect(!JSONValue.integer(9_007_199_254_740_993).schemaEquals(.number(9_007_199_254_740_992)))
        let a = try JSONValue(parsing: #"{"x":[1,{"y":2.0}],"z":null}"#)
        let b = try JSONValue(parsing: #"{"z":null,"x":[1.0,{"y":2}]}"#)
        #expect(a.schemaEquals(b))
    }
}
