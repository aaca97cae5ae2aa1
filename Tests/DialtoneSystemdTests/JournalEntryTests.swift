import Logging
import Testing

@testable import DialtoneSystemd

@Suite struct JournalEntryTests {
    struct SaveFailure: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }

    @Test func fieldsComeInAFixedOrderWithMetadataSortedLast() {
        let event = LogEvent(
            level: .notice,
            message: "call ended",
            error: SaveFailure(),
            metadata: nil,
            source: nil,
            file: "DialtoneServer/Calls.swift",
            function: "end(_:)",
            line: 42
        )
        let entry = JournalEntry(
            event: event,
            label: "dialtone.core",
            metadata: ["dialtone.user.id": "bob", "dialtone.call.id": "call_9", "dialtone.duration": .stringConvertible(12)],
            identifier: "dialtoned"
        )
        #expect(
            entry.fields == [
                .init(name: "MESSAGE", value: "call ended"),
                .init(name: "PRIORITY", value: "5"),
                .init(name: "SYSLOG_IDENTIFIER", value: "dialtoned"),
                .init(name: "CODE_FILE", value: "DialtoneServer/Calls.swift"),
                .init(name: "CODE_LINE", value: "42"),
                .init(name: "CODE_FUNC", value: "end(_:)"),
                .init(name: "LOGGER", value: "dialtone.core"),
                .init(name: "ERROR", value: "disk full"),
                .init(name: "CALL_ID", value: "call_9"),
                .init(name: "DURATION", value: "12"),
                .init(name: "USER_ID", value: "bob"),
            ]
        )
        #expect(entry.assignments.first == Array("MESSAGE=call ended".utf8))
    }
}
