import Foundation

/// The control interface's timestamps: ISO-8601 in UTC, as in history records.
enum ControlTime {
    static func format(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// Accepts RFC 3339 date-times, with or without fractional seconds, `Z` or an offset.
    static func parse(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let withoutFraction = Date.ISO8601FormatStyle()
        return (try? withoutFraction.parse(text)) ?? (try? withFraction.parse(text))
    }
}
