import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The readable one-line form of a log call.
enum LogLine {
    /// `[time ]level label: message key=value ...\n`, metadata sorted by key. Control characters
    /// are escaped so every log call stays exactly one line.
    static func format(event: LogEvent, label: String, metadata: Logger.Metadata, timestamp: String?) -> String {
        var line = ""
        if let timestamp { line += timestamp + " " }
        line += "\(event.level.rawValue) \(label): \(escaped(event.message.description))"
        if let error = event.error {
            line += " error=" + quotedIfNeeded("\(error)")
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(escaped(key))=" + quotedIfNeeded("\(value)")
        }
        return line + "\n"
    }

    /// ISO 8601 UTC with milliseconds, from the wall clock: this is output, never logic.
    static func utcTimestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
            + "T\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2))"
            + ".\(padded(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }

    static func escaped(_ text: String, insideQuotes: Bool = false) -> String {
        // Most text has nothing to escape; one pass over its bytes says so, and it goes out as
        // it is (a scalar-by-scalar rebuild was a third of a "call ended" line's cost).
        let nothingToEscape = text.utf8.allSatisfy { byte in
            byte >= 0x20 && byte != 0x7f
                && !(insideQuotes && (byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")))
        }
        if nothingToEscape { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where insideQuotes: result += "\\\""
            case "\\" where insideQuotes: result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Values with spaces, quotes, `=` or line breaks are quoted so `key=value` pairs stay
    /// unambiguous.
    static func quotedIfNeeded(_ value: String) -> String {
        guard needsQuotes(value) else { return escaped(value) }
        return "\"" + escaped(value, insideQuotes: true) + "\""
    }

    /// One pass over the bytes; only text with non-ASCII bytes is also walked as Characters, for
    /// the line breaks beyond ASCII (U+0085, U+2028, U+2029).
    private static func needsQuotes(_ value: String) -> Bool {
        guard !value.isEmpty else { return true }
        var beyondASCII = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "="), 0x0a...0x0d: return true
            case 0x80...: beyondASCII = true
            default: continue
            }
        }
        return beyondASCII && value.contains { $0.isNewline }
    }
}
