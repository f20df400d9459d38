import Foundation

/// Go's named time layouts, rendered in local time.
enum GoTimeLayout {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date, layout: String, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = c.year ?? 0, month = c.month ?? 1, day = c.day ?? 1
        let hour = c.hour ?? 0, minute = c.minute ?? 0, second = c.second ?? 0
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let date = "\(year)-\(two(month))-\(two(day))"
        let time = "\(two(hour)):\(two(minute)):\(two(second))"
        switch layout {
        case "TimeOnly":
            return time
        case "DateOnly":
            return date
        case "Stamp":
            let paddedDay = day < 10 ? " \(day)" : "\(day)"
            return "\(months[month - 1]) \(paddedDay) \(time)"
        case "RFC822":
            let zone = timeZone.abbreviation(for: Date()) ?? "UTC"
            return "\(two(day)) \(months[month - 1]) \(two(year % 100)) \(two(hour)):\(two(minute)) \(zone)"
        case "RFC3339":
            let offset = timeZone.secondsFromGMT(for: Date())
            let zone = offset == 0 ? "Z" : "\(offset < 0 ? "-" : "+")\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
            return "\(date)T\(time)\(zone)"
        default:
            return "\(date) \(time)"
        }
    }
}
