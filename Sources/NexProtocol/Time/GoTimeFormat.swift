/// Why a timestamp was refused.
public enum GoTimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not RFC 3339 (`2006-01-02T15:04:05[.999999999](Z|±hh:mm)`).
    case malformed(String)
    /// Well-formed but a field is out of range (month 13, February 30, hour 24, offset hour 24...).
    case outOfRange(field: String, in: String)

    public var description: String {
        switch self {
        case .malformed(let text):
            return "parsing time \"\(text)\": not RFC 3339 (expected 2006-01-02T15:04:05[.999999999](Z|±hh:mm))"
        case .outOfRange(let field, let text):
            return "parsing time \"\(text)\": \(field) out of range"
        }
    }
}

/// A proleptic Gregorian calendar date and time of day in UTC.
struct CivilTime: Equatable {
    var year: Int64
    var month: Int64
    var day: Int64
    var hour: Int64
    var minute: Int64
    var second: Int64

    /// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }
}

enum GoTimeFormatter {
    static func civil(_ time: GoTime) -> CivilTime {
        let days = time.unixSeconds >= 0 ? time.unixSeconds / 86_400 : (time.unixSeconds - 86_399) / 86_400
        let secondOfDay = time.unixSeconds - days * 86_400
        let (year, month, day) = CivilTime.date(days: days)
        return CivilTime(year: year, month: month, day: day,
                         hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
    }

    static func format(_ time: GoTime, fraction: Bool) -> String {
        let civil = civil(time)
        var text = pad(civil.year, 4) + "-" + pad(civil.month, 2) + "-" + pad(civil.day, 2)
        text += "T" + pad(civil.hour, 2) + ":" + pad(civil.minute, 2) + ":" + pad(civil.second, 2)
        if fraction && time.nanosecond != 0 {
            var digits = pad(Int64(time.nanosecond), 9)
            while digits.last == "0" { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}

enum GoTimeParser {
    static func parse(_ text: String) throws(GoTimeError) -> GoTime {
        let bytes = Array(text.utf8)
        var position = 0

        func number(_ width: Int) throws(GoTimeError) -> Int64 {
            guard position + width <= bytes.count else { throw .malformed(text) }
            var value: Int64 = 0
            for byte in bytes[position..<position + width] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .malformed(text) }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            position += width
            return value
        }
        func expect(_ character: Character) throws(GoTimeError) {
            guard position < bytes.count, let ascii = character.asciiValue, bytes[position] == ascii else {
                throw .malformed(text)
            }
            position += 1
        }

        let year = try number(4)
        try expect("-")
        let month = try number(2)
        try expect("-")
        let day = try number(2)
        try expect("T")
        let hour = try number(2)
        try expect(":")
        let minute = try number(2)
        try expect(":")
        let second = try number(2)

        var nanosecond: Int64 = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                if digits < 9 {  // like Go, digits beyond nanoseconds are ignored
                    nanosecond = nanosecond * 10 + Int64(bytes[position] - UInt8(ascii: "0"))
                }
                digits += 1
                position += 1
            }
            guard digits > 0 else { throw .malformed(text) }
            for _ in min(digits, 9)..<9 { nanosecond *= 10 }
        }

        var offsetSeconds: Int64 = 0
        guard position < bytes.count else { throw .malformed(text) }
        if bytes[position] == UInt8(ascii: "Z") {
            position += 1
        } else {
            let sign: Int64
            switch bytes[position] {
            case UInt8(ascii: "+"): sign = 1
            case UInt8(ascii: "-"): sign = -1
            default: throw .malformed(text)
            }
            position += 1
            let offsetHour = try number(2)
            try expect(":")
            let offsetMinute = try number(2)
            guard offsetHour < 24 else { throw .outOfRange(field: "timezone hour", in: text) }
            guard offsetMinute < 60 else { throw .outOfRange(field: "timezone minute", in: text) }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
        }
        guard position == bytes.count else { throw .malformed(text) }

        guard (1...12).contains(month) else { throw .outOfRange(field: "month", in: text) }
        guard day >= 1, day <= CivilTime.daysInMonth(year: year, month: month) else {
            throw .outOfRange(field: "day", in: text)
        }
        guard hour < 24 else { throw .outOfRange(field: "hour", in: text) }
        guard minute < 60 else { throw .outOfRange(field: "minute", in: text) }
        guard second < 60 else { throw .outOfRange(field: "second", in: text) }

        let days = CivilTime.days(year: year, month: month, day: day)
        let local = days * 86_400 + hour * 3600 + minute * 60 + second
        return GoTime(unixSeconds: local - offsetSeconds, nanosecond: nanosecond)
    }
}
