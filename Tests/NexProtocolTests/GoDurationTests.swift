import Foundation
import NexProtocol
import Testing

private let ns: Int64 = 1
private let us: Int64 = 1_000
private let ms: Int64 = 1_000_000
private let sec: Int64 = 1_000_000_000
private let minute: Int64 = 60 * sec
private let hour: Int64 = 60 * minute

@Suite("Go durations")
struct GoDurationTests {
    @Test("String() spellings", arguments: [
        ("0s", 0),
        ("1ns", 1 * ns),
        ("100ns", 100 * ns),
        ("1.1µs", 1_100 * ns),
        ("250µs", 250 * us),
        ("2.2ms", 2_200 * us),
        ("100ms", 100 * ms),
        ("1s", sec),
        ("1.5s", 1_500 * ms),
        ("3.3s", 3_300 * ms),
        ("1m0s", minute),
        ("4m5s", 4 * minute + 5 * sec),
        ("4m5.001s", 4 * minute + 5_001 * ms),
        ("1h0m0s", hour),
        ("1h2m3.004s", hour + 2 * minute + 3_004 * ms),
        ("5h6m7.001s", 5 * hour + 6 * minute + 7_001 * ms),
        ("8m0.000000001s", 8 * minute + 1 * ns),
        ("12.345678901s", 12_345_678_901 * ns),
        ("-1.5s", -1_500 * ms),
        ("-250µs", -250 * us),
        ("-1ns", -1 * ns),
        ("2562047h47m16.854775807s", Int64.max),
        ("-2562047h47m16.854775808s", Int64.min),
    ] as [(String, Int64)])
    func format(_ expected: String, _ nanoseconds: Int64) throws {
        let duration = GoDuration(nanoseconds: nanoseconds)
        #expect(duration.description == expected)
        #expect(try GoDuration(parsing: expected) == duration)
        #expect(try GoJSON.encodeString(duration) == "\"\(expected)\"")
    }

    @Test("ParseDuration accepts", arguments: [
        ("0", 0), ("-0", 0), ("+0", 0), ("0s", 0), ("5s", 5 * sec), ("30s", 30 * sec), ("1478s", 1_478 * sec),
        ("-5s", -5 * sec), ("+5s", 5 * sec), ("-0s", 0), ("+0s", 0),
        ("5.0s", 5 * sec), ("5.6s", 5 * sec + 600 * ms), ("5.s", 5 * sec), (".5s", 500 * ms), ("1.0s", sec),
        ("1.00s", sec), ("1.004s", sec + 4 * ms), ("1.0040s", sec + 4 * ms), ("100.00100s", 100 * sec + 1 * ms),
        ("10ns", 10 * ns), ("11us", 11 * us), ("12\u{00B5}s", 12 * us), ("12\u{03BC}s", 12 * us), ("13ms", 13 * ms),
        ("14s", 14 * sec), ("15m", 15 * minute), ("16h", 16 * hour),
        ("3h30m", 3 * hour + 30 * minute), ("1h30m", 90 * minute), ("10.5s4m", 4 * minute + 10 * sec + 500 * ms),
        ("-2m3.4s", -(2 * minute + 3 * sec + 400 * ms)), ("1h2m3s4ms5us6ns", hour + 2 * minute + 3 * sec + 4 * ms + 5 * us + 6 * ns),
        ("39h9m14.425s", 39 * hour + 9 * minute + 14 * sec + 425 * ms), ("52763797000ns", 52_763_797_000 * ns),
        ("0.3333333333333333333h", 20 * minute), ("9007199254740993ns", (1 << 53) + 1),
        ("9223372036854775807ns", Int64.max), ("9223372036854775.807us", Int64.max),
        ("9223372036s854ms775us807ns", Int64.max), ("-9223372036854775808ns", Int64.min),
        ("-9223372036854775.808us", Int64.min), ("-9223372036s854ms775us808ns", Int64.min),
        ("-2562047h47m16.854775808s", Int64.min), ("0.100000000000000000000h", 6 * minute),
        ("0.830103483285477580700h", 49 * minute + 48 * sec + 372_539_827 * ns),
    ] as [(String, Int64)])
    func parse(_ text: String, _ nanoseconds: Int64) throws {
        #expect(try GoDuration(parsing: text).nanoseconds == nanoseconds)
        #expect(try GoJSON.decode(GoDuration.self, from: "\"\(text)\"").nanoseconds == nanoseconds)
    }

    @Test("ParseDuration rejects", arguments: [
        ("", GoDurationError.invalid("")),
        ("3", .missingUnit("3")),
        ("-", .invalid("-")),
        ("s", .invalid("s")),
        (".", .invalid(".")),
        ("-.", .invalid("-.")),
        (".s", .invalid(".s")),
        ("+.s", .invalid("+.s")),
        ("1d", .unknownUnit(unit: "d", in: "1d")),
        ("1.5x", .unknownUnit(unit: "x", in: "1.5x")),
        ("1S", .unknownUnit(unit: "S", in: "1S")),
        (" 1s", .invalid(" 1s")),
        ("1s ", .unknownUnit(unit: "s ", in: "1s ")),
        ("1h-5m", .unknownUnit(unit: "h-", in: "1h-5m")),
        ("--1s", .invalid("--1s")),
        ("9223372036854775808ns", .invalid("9223372036854775808ns")),
        ("9223372036854775.808us", .invalid("9223372036854775.808us")),
        ("9223372036s854ms775us808ns", .invalid("9223372036s854ms775us808ns")),
        ("9223372036854ms775ms808us", .invalid("9223372036854ms775ms808us")),
        ("-9223372036854775809ns", .invalid("-9223372036854775809ns")),
        ("99999999999999999999s", .invalid("99999999999999999999s")),
        ("3000000h", .invalid("3000000h")),
        // Go's uint64 wraps to 0 here and accepts it; we report the overflow.
        ("9223372036854775808ns9223372036854775808ns", .invalid("9223372036854775808ns9223372036854775808ns")),
    ] as [(String, GoDurationError)])
    func reject(_ text: String, _ expected: GoDurationError) {
        #expect(throws: expected) { try GoDuration(parsing: text) }
    }

    @Test("error texts match Go")
    func errorTexts() {
        #expect(GoDurationError.invalid("x").description == #"time: invalid duration "x""#)
        #expect(GoDurationError.missingUnit("3").description == #"time: missing unit in duration "3""#)
        #expect(GoDurationError.unknownUnit(unit: "d", in: "1d").description == #"time: unknown unit "d" in duration "1d""#)
    }

    @Test("decoding a non-duration value fails clearly")
    func decodeFailures() {
        #expect(throws: GoDurationError.unknownUnit(unit: "d", in: "1d")) {
            try GoJSON.decode(GoDuration.self, from: #""1d""#)
        }
        #expect(throws: GoJSONError.self) { try GoJSON.decode(GoDuration.self, from: "5") }
    }

    @Test("conversions to and from Swift Duration")
    func swiftDuration() {
        #expect(GoDuration(.milliseconds(1500)) == GoDuration(nanoseconds: 1_500 * ms))
        #expect(GoDuration(.nanoseconds(-7)).nanoseconds == -7)
        #expect(GoDuration(.seconds(Int64.max)).nanoseconds == Int64.max)
        #expect(GoDuration(.seconds(Int64.min)).nanoseconds == Int64.min)
        #expect(GoDuration(nanoseconds: 1_500 * ms).duration == .milliseconds(1500))
        #expect(GoDuration(nanoseconds: Int64.min).duration == .nanoseconds(Int64.min))
        #expect(GoDuration(GoDuration(nanoseconds: 123_456_789).duration).nanoseconds == 123_456_789)
    }

    @Test("arithmetic saturates instead of trapping")
    func arithmetic() {
        #expect((GoDuration.second * 3).description == "3s")
        #expect((GoDuration.minute + .second).description == "1m1s")
        #expect((GoDuration.second - .minute).description == "-59s")
        #expect((GoDuration.hour * Int64.max).nanoseconds == Int64.max)
        #expect((GoDuration(nanoseconds: .max) + .second).nanoseconds == Int64.max)
        #expect((GoDuration(nanoseconds: .min) - .second).nanoseconds == Int64.min)
        #expect(GoDuration.seconds(90).description == "1m30s")
        #expect(GoDuration.milliseconds(100).description == "100ms")
    }
}
