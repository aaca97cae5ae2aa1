import Logging
import Testing

@testable import DialtoneSystemd

@Suite struct LogLineTests {
    func event(_ message: Logger.Message, level: Logger.Level = .info) -> LogEvent {
        LogEvent(level: level, message: message, metadata: nil, source: nil, file: "f.swift", function: "f()", line: 1)
    }

    @Test func oneReadableLinePerCall() {
        let line = LogLine.format(
            event: event("call ended", level: .warning),
            label: "dialtone.core",
            metadata: ["dialtone.reason": "no answer", "dialtone.call.id": "c1", "empty": ""],
            timestamp: "2025-01-31T12:00:00.000Z"
        )
        #expect(line == "2025-01-31T12:00:00.000Z warning dialtone.core: call ended dialtone.call.id=c1 dialtone.reason=\"no answer\" empty=\"\"\n")
    }

    @Test func controlCharactersCannotStartANewLine() {
        let line = LogLine.format(
            event: event("first\nsecond\r\u{1b}[31m"),
            label: "l",
            metadata: ["note": "say \"hi\"\nback\\slash"],
            timestamp: nil
        )
        #expect(line == "info l: first\\nsecond\\r\\u{1b}[31m note=\"say \\\"hi\\\"\\nback\\\\slash\"\n")
        #expect(line.filter { $0 == "\n" }.count == 1)
    }

    /// Plain values go out untouched; anything that could split a pair or a line is quoted, ASCII
    /// or not.
    @Test func valuesAreQuotedExactlyWhenTheyCouldBeMisread() {
        let line = LogLine.format(
            event: event("größe ok"),
            label: "l",
            metadata: [
                "a": "plain\\path", "b": "x=y", "c": "tab\there", "d": "v\u{0b}tab", "e": "ünïcode",
                "f": "line\u{2028}separator", "g": "nbsp\u{a0}kept", "h": "a \u{301}b",
            ],
            timestamp: nil
        )
        #expect(
            line
                == "info l: größe ok a=plain\\path b=\"x=y\" c=tab\\there d=\"v\\u{b}tab\" e=ünïcode"
                + " f=\"line\u{2028}separator\" g=nbsp\u{a0}kept h=\"a \u{301}b\"\n")
    }

    @Test func timestampsAreISO8601UTCWithMilliseconds() throws {
        let stamp = LogLine.utcTimestamp()
        let pattern = try Regex("^[0-9]{4}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{3}Z$")
        #expect(stamp.wholeMatch(of: pattern) != nil, "\(stamp)")
    }
}
