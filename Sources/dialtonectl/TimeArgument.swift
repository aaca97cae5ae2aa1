import Foundation

/// `--since`/`--until` values: an ISO-8601 date-time, a date (midnight UTC), or an age such as
/// `90s`, `15m`, `2h`, `7d`, `1w` counted back from now. Turned into the date-time the daemon takes.
enum TimeArgument {
    static func resolve(_ text: String, now: Date = Date()) -> String? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return iso(date) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return iso(date) }
        if let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return iso(date) }
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Double
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86_400
        case "w": seconds = amount * 604_800
        default: return nil
        }
        return iso(now.addingTimeInterval(-seconds))
    }

    private static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
