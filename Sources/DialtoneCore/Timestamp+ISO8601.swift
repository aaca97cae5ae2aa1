// Written by hand from civil-calendar arithmetic (H. Hinnant's days-from-civil algorithms) so the
// core needs no Foundation and formatting a history record allocates nothing per time.

extension Timestamp {
    private static let millisecondsPerDay: Int64 = 86_400_000

    /// RFC 3339 / ISO-8601 in UTC with milliseconds, e.g. `2026-11-25T01:02:03.456Z`.
    public var iso8601: String {
        // 24 bytes for years 0...9999; a signed year of up to 11 digits fits the rest.
        String(unsafeUninitializedCapacity: 32) { buffer in
            var count = 0
            writeISO8601 { byte in
                buffer[count] = byte
                count += 1
            }
            return count
        }
    }

    /// Appends ``iso8601``'s UTF-8 bytes: a history of 100,000 records is written without a
    /// `String` per time.
    public func writeISO8601(into bytes: inout [UInt8]) {
        writeISO8601 { bytes.append($0) }
    }

    private func writeISO8601(_ put: (UInt8) -> Void) {
        let days = Self.floorDivide(milliseconds, Self.millisecondsPerDay)
        let remainder = milliseconds % Self.millisecondsPerDay
        let millisecondOfDay = remainder < 0 ? remainder + Self.millisecondsPerDay : remainder
        let (year, month, day) = Self.civilDate(fromDays: days)
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        if (0...9999).contains(year) {
            digits(year, 4)
        } else {
            for byte in String(year).utf8 { put(byte) }
        }
        put(UInt8(ascii: "-"))
        digits(month, 2)
        put(UInt8(ascii: "-"))
        digits(day, 2)
        put(UInt8(ascii: "T"))
        digits(millisecondOfDay / 3_600_000, 2)
        put(UInt8(ascii: ":"))
        digits(millisecondOfDay / 60_000 % 60, 2)
        put(UInt8(ascii: ":"))
        digits(millisecondOfDay / 1000 % 60, 2)
        put(UInt8(ascii: "."))
        digits(millisecondOfDay % 1000, 3)
        put(UInt8(ascii: "Z"))
    }

    /// Parses an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction (digits past
    /// milliseconds are truncated) and `Z` or a `±HH:MM` offset. Returns nil for anything else,
    /// including impossible dates such as February 30.
    public init?(iso8601 text: String) {
        var text = text
        guard let timestamp = text.withUTF8(Timestamp.init(iso8601:)) else { return nil }
        self = timestamp
    }

    /// Parses the UTF-8 bytes of an RFC 3339 date-time; see ``init(iso8601:)-(String)``.
    public init?(iso8601 utf8: UnsafeBufferPointer<UInt8>) {
        guard let milliseconds = Self.milliseconds(iso8601: utf8) else { return nil }
        self.init(milliseconds: milliseconds)
    }

    private static func milliseconds(iso8601 utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        var scanner = DigitScanner(utf8)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t"),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...Self.daysInMonth(month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var millisecond: Int64 = 0
        if scanner.skip(".") {
            guard let fraction = scanner.fractionMilliseconds() else { return nil }
            millisecond = fraction
        }
        var offsetMinutes: Int64 = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offsetMinutes = 0
        } else {
            let sign: Int64
            if scanner.skip("+") {
                sign = 1
            } else if scanner.skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHours = scanner.number(digits: 2), scanner.skip(":"),
                let offsetMinute = scanner.number(digits: 2), offsetHours < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinute)
        }
        guard scanner.isAtEnd else { return nil }
        let days = Self.days(fromCivilYear: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millisecond
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    private static func civilDate(fromDays daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func days(fromCivilYear civilYear: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? civilYear - 1 : civilYear
        let era = floorDivide(year, 400)
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func daysInMonth(_ month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// Reads fixed-width ASCII fields of a date-time.
private struct DigitScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int64? {
        guard bytes.count - index >= digits else { return nil }
        var value: Int64 = 0
        for _ in 0..<digits {
            guard let digit = digit(at: index) else { return nil }
            value = value * 10 + digit
            index += 1
        }
        return value
    }

    /// At least one digit; the first three give milliseconds.
    mutating func fractionMilliseconds() -> Int64? {
        var value: Int64 = 0
        var count = 0
        while index < bytes.count, let digit = digit(at: index) {
            if count < 3 { value = value * 10 + digit }
            count += 1
            index += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { value *= 10 }
        return value
    }

    private func digit(at position: Int) -> Int64? {
        let byte = bytes[position]
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        return Int64(byte - UInt8(ascii: "0"))
    }
}

extension Timestamp: Codable {
    /// Encoded as its ISO-8601 text, as in history records.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an ISO-8601 date-time")
        }
        self = timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
