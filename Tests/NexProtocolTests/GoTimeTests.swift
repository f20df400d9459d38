import Foundation
import NexProtocol
import Testing

@Suite("Go timestamps")
struct GoTimeTests {
    @Test("RFC 3339 encoding trims fraction zeros and uses Z", arguments: [
        (GoTime.zero, "0001-01-01T00:00:00Z"),
        (GoTime(unixSeconds: 0), "1970-01-01T00:00:00Z"),
        (GoTime(unixSeconds: 1_776_931_872), "2026-04-23T08:11:12Z"),
        (GoTime(unixSeconds: 1_776_931_872, nanosecond: 123_456_789), "2026-04-23T08:11:12.123456789Z"),
        (GoTime(unixSeconds: 1_776_931_872, nanosecond: 500_000_000), "2026-04-23T08:11:12.5Z"),
        (GoTime(unixSeconds: 1_776_931_872, nanosecond: 1), "2026-04-23T08:11:12.000000001Z"),
        (GoTime(unixSeconds: -1, nanosecond: 999_000_000), "1969-12-31T23:59:59.999Z"),
        (GoTime(unixSeconds: 951_782_400), "2000-02-29T00:00:00Z"),
        (GoTime(unixSeconds: 253_402_300_799, nanosecond: 999_999_999), "9999-12-31T23:59:59.999999999Z"),
        (GoTime(unixSeconds: -62_167_219_200), "0000-01-01T00:00:00Z"),
    ] as [(GoTime, String)])
    func encode(_ time: GoTime, _ expected: String) throws {
        #expect(time.rfc3339 == expected)
        #expect(try GoJSON.encodeString(time) == "\"\(expected)\"")
        #expect(try GoTime(rfc3339: expected) == time)
    }

    @Test("RFC 3339 decoding with and without fraction and with offsets", arguments: [
        ("2026-04-23T10:11:12.123456789+02:00", GoTime(unixSeconds: 1_776_931_872, nanosecond: 123_456_789)),
        ("2026-04-23T08:11:12Z", GoTime(unixSeconds: 1_776_931_872)),
        ("2026-04-23T03:41:12-04:30", GoTime(unixSeconds: 1_776_931_872)),
        ("2026-04-23T08:11:12.1Z", GoTime(unixSeconds: 1_776_931_872, nanosecond: 100_000_000)),
        ("2026-04-23T08:11:12.1234567891234Z", GoTime(unixSeconds: 1_776_931_872, nanosecond: 123_456_789)),
        ("2026-04-23T08:11:12+00:00", GoTime(unixSeconds: 1_776_931_872)),
        ("0001-01-01T00:00:00Z", GoTime.zero),
        ("2024-02-29T23:59:59.999999999Z", GoTime(unixSeconds: 1_709_251_199, nanosecond: 999_999_999)),
    ] as [(String, GoTime)])
    func decode(_ text: String, _ expected: GoTime) throws {
        #expect(try GoTime(rfc3339: text) == expected)
        #expect(try GoJSON.decode(GoTime.self, from: "\"\(text)\"") == expected)
    }

    @Test("malformed or out-of-range timestamps are refused", arguments: [
        "", "2026-04-23", "2026-04-23 08:11:12Z", "2026-04-23T08:11:12", "2026-04-23T08:11:12z",
        "2026-04-23T08:11:12.Z", "2026-4-23T08:11:12Z", "2026-04-23T08:11:12+0200", "2026-04-23T08:11:12+02",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-04-23T24:00:00Z", "2026-04-23T23:60:00Z", "2026-04-23T23:59:60Z", "2026-04-23T08:11:12+24:00",
        "2026-04-23T08:11:12Zjunk", "１９７０-01-01T00:00:00Z", "1900-02-29T00:00:00Z",
    ])
    func reject(_ text: String) {
        #expect(throws: GoTimeError.self) { try GoTime(rfc3339: text) }
    }

    @Test("error texts say what was wrong")
    func errorTexts() {
        #expect(throws: GoTimeError.outOfRange(field: "day", in: "2026-02-29T00:00:00Z")) {
            try GoTime(rfc3339: "2026-02-29T00:00:00Z")
        }
        #expect(GoTimeError.outOfRange(field: "month", in: "x").description == #"parsing time "x": month out of range"#)
    }

    @Test("null decodes as the zero time; years outside 0...9999 cannot be encoded")
    func nullAndRange() throws {
        #expect(try GoJSON.decode(GoTime.self, from: "null") == .zero)
        #expect(throws: GoJSONError.self) { try GoJSON.encode(GoTime(unixSeconds: 253_402_300_800)) }
        #expect(throws: GoJSONError.self) { try GoJSON.encode(GoTime(unixSeconds: -62_167_219_201)) }
    }

    @Test("now(), Date conversion, arithmetic")
    func conversions() throws {
        let before = Date()
        let now = GoTime.now()
        let after = Date()
        #expect(now.date.timeIntervalSince(before) > -0.001)
        #expect(after.timeIntervalSince(now.date) > -0.001)
        #expect((0..<1_000_000_000).contains(now.nanosecond))
        let time = GoTime(unixSeconds: 1_776_931_872, nanosecond: 250_000_000)
        #expect(time.date == Date(timeIntervalSince1970: 1_776_931_872.25))
        #expect(GoTime(time.date) == time)
        #expect(time.adding(.milliseconds(1_750)) == GoTime(unixSeconds: 1_776_931_874))
        #expect(time.adding(.milliseconds(-250)) == GoTime(unixSeconds: 1_776_931_872))
        #expect(time.adding(.milliseconds(1_750)).duration(since: time) == .milliseconds(1_750))
        #expect(GoTime.zero.duration(since: time).nanoseconds == Int64.min)
        #expect(GoTime(unixSeconds: 5, nanosecond: -1) == GoTime(unixSeconds: 4, nanosecond: 999_999_999))
        #expect(GoTime(unixSeconds: 5, nanosecond: 2_000_000_001) == GoTime(unixSeconds: 7, nanosecond: 1))
        #expect(GoTime.zero < time)
        #expect(GoTime().isZero)
        #expect(time.rfc3339Seconds == "2026-04-23T08:11:12Z")
    }
}
