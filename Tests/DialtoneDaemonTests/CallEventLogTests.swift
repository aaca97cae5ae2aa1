import DialtoneCore
import Logging
import Testing

@testable import DialtoneDaemon

@Suite struct CallEventLogTests {
    @Test func aCallLogsOnlyItsEndAtInfoAndItsSetupAtDebug() {
        let recorder = LogRecorder()
        let log = CallEventLog(logger: Logger(label: "test") { _ in recorder })
        let record = CallRecord(
            callId: "c1", from: "alice", participants: ["alice", "bob"], media: .audio, endReason: .hangup,
            createdAt: Timestamp(milliseconds: 1_000), answeredAt: Timestamp(milliseconds: 2_000),
            endedAt: Timestamp(milliseconds: 14_500))
        log.record([
            .callCreated(callId: "c1", from: "alice", participants: ["alice", "bob"], media: .audio),
            .callRinging(callId: "c1", userId: "bob", devices: 1),
            .callAccepted(callId: "c1", userId: "bob"),
            .callEnded(record),
        ])
        let entries = recorder.entries
        #expect(entries.filter { $0.level == .debug }.map(\.message) == ["call created", "call ringing", "call accepted"])
        let info = entries.filter { $0.level >= .info }
        #expect(info.map(\.message) == ["call ended"])
        #expect(info.first?.metadata["dialtone.call.id"] == "c1")
        #expect(info.first?.metadata["dialtone.reason"] == "hangup")
        #expect(info.first?.metadata["dialtone.duration"] == "12.5")
    }
}
