import Foundation
import Testing

@testable import DialtoneCore

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_795_568_523_456, "2026-11-25T01:02:03.456Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsAndParsesKnownInstants(milliseconds: Int64, text: String) {
        let timestamp = Timestamp(milliseconds: milliseconds)
        #expect(timestamp.iso8601 == text)
        #expect(Timestamp(iso8601: text) == timestamp)
    }

    @Test func agreesWithFoundationOverManyDays() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SeededRandom(state: 7)
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -2_000_000_000_000...6_000_000_000_000, using: &generator)
            let timestamp = Timestamp(milliseconds: milliseconds)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let parsed = try #require(formatter.date(from: timestamp.iso8601))
            #expect(abs(parsed.timeIntervalSince(date)) < 0.0005, "\(timestamp.iso8601)")
            #expect(Timestamp(iso8601: timestamp.iso8601) == timestamp)
        }
    }

    @Test(arguments: [
        ("2026-11-25T01:02:03Z", Int64(1_795_568_523_000)),
        ("2026-11-25T01:02:03.4Z", 1_795_568_523_400),
        ("2026-11-25T01:02:03.456789Z", 1_795_568_523_456),
        ("2026-11-25t01:02:03.456z", 1_795_568_523_456),
        ("2026-11-25T02:02:03.456+01:00", 1_795_568_523_456),
        ("2026-11-24T20:32:03.456-04:30", 1_795_568_523_456),
    ])
    func parsesVariants(text: String, milliseconds: Int64) {
        #expect(Timestamp(iso8601: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: [
        "", "2026-11-25", "2026-11-25T01:02:03", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T01:60:00Z", "2026-11-25T01:02:60Z",
        "2026-11-25T01:02:03.Z", "2026-11-25T01:02:03.456", "2026-11-25T01:02:03+0100", "26-11-25T01:02:03Z",
        "2026-11-25T01:02:03.456Z ", "x2026-11-25T01:02:03Z", "2026-11-25T01:02:03+25:00",
    ])
    func refusesMalformedText(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func acceptsLeapDayOnlyInLeapYears() {
        #expect(Timestamp(iso8601: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(iso8601: "2000-02-29T00:00:00Z") != nil)
        #expect(Timestamp(iso8601: "1900-02-29T00:00:00Z") == nil)
    }

    @Test func extremesFormatWithoutTrapping() {
        #expect(!Timestamp(milliseconds: .max).iso8601.isEmpty)
        #expect(!Timestamp(milliseconds: .min).iso8601.isEmpty)
        #expect(Timestamp(milliseconds: .max) + .seconds(1) == Timestamp(milliseconds: .max))
        #expect(Timestamp(milliseconds: .min) + .seconds(-1) == Timestamp(milliseconds: .min))
    }

    @Test func addsDurationsInMilliseconds() {
        #expect(Timestamp(milliseconds: 1000) + .milliseconds(250) == Timestamp(milliseconds: 1250))
        #expect(Timestamp(milliseconds: 1000) + .seconds(-2) == Timestamp(milliseconds: -1000))
    }

    @Test func codesAsISO8601Text() throws {
        let timestamp = Timestamp(milliseconds: 1_795_568_523_456)
        let data = try JSONEncoder().encode([timestamp])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-11-25T01:02:03.456Z"]"#)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [timestamp])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Timestamp].self, from: Data(#"["yesterday"]"#.utf8))
        }
    }

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(Timestamp(milliseconds: 10))
        #expect(clock.now() == Timestamp(milliseconds: 10))
        #expect(clock.advance(by: .seconds(2)) == Timestamp(milliseconds: 2010))
        clock.set(Timestamp(milliseconds: 5))
        #expect(clock.now() == Timestamp(milliseconds: 5))
    }

    @Test func systemClockReadsTheWallClock() {
        let before = Date().timeIntervalSince1970 * 1000
        let now = Double(SystemClock().now().milliseconds)
        let after = Date().timeIntervalSince1970 * 1000
        #expect(now >= before.rounded(.down) - 1 && now <= after + 1)
    }
}
