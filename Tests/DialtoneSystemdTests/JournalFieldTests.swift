import Logging
import Testing

@testable import DialtoneSystemd

@Suite struct JournalFieldTests {
    @Test(arguments: [
        ("dialtone.call.id", "CALL_ID"),
        ("dialtone.user.id", "USER_ID"),
        ("dialtone.event", "EVENT"),
        ("dialtone.reason", "REASON"),
        ("dialtone.duration", "DURATION"),
        ("http.status", "HTTP_STATUS"),
        ("request-id", "REQUEST_ID"),
        ("_private", "PRIVATE"),
        ("__", "META"),
        ("", "META"),
        ("9lives", "META_9LIVES"),
        ("message", "META_MESSAGE"),
        ("dialtone.priority", "META_PRIORITY"),
        ("syslog_identifier", "META_SYSLOG_IDENTIFIER"),
        ("ünïcode.kéy", "N_CODE_K_Y"),
        ("dialtone", "DIALTONE"),
    ])
    func metadataKeysBecomeJournalFieldNames(key: String, expected: String) {
        let name = JournalField.name(forMetadataKey: key)
        #expect(name == expected)
        #expect(JournalField.isValid(name))
    }

    @Test func longKeysAreCutToTheJournalLimit() {
        let name = JournalField.name(forMetadataKey: String(repeating: "a", count: 200))
        #expect(name == String(repeating: "A", count: 64))
        #expect(JournalField.isValid(name))
    }

    @Test func validityFollowsJournaldRules() {
        #expect(JournalField.isValid("CALL_ID"))
        #expect(!JournalField.isValid("_PID"))
        #expect(!JournalField.isValid("1ABC"))
        #expect(!JournalField.isValid("call_id"))
        #expect(!JournalField.isValid(""))
        #expect(!JournalField.isValid(String(repeating: "A", count: 65)))
    }

    @Test func prioritiesAreSyslogLevels() {
        let priorities = Logger.Level.allCases.map(JournalField.priority(of:))
        #expect(priorities == [7, 7, 6, 5, 4, 3, 2])
    }
}
