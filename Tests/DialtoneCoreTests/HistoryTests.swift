import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct HistoryTests {
    func record(_ index: Int, reason: EndReason = .hangup, answeredFor milliseconds: Int64? = nil, users: [UserID] = ["a", "b"])
        -> CallRecord
    {
        let created = Timestamp(milliseconds: 1_000_000 + Int64(index) * 1000)
        let answered = milliseconds.map { _ in created }
        return CallRecord(
            callId: "call-\(index)", from: users[0], participants: users, media: .audio, endReason: reason,
            createdAt: created, answeredAt: answered, endedAt: created + .milliseconds(milliseconds ?? 0))
    }

    @Test func recordJSONHasTheContractShape() {
        let answered = CallRecord(
            callId: "c1", from: "alice", participants: ["alice", "bob"], media: .video, endReason: .hangup,
            createdAt: Timestamp(milliseconds: 1_795_568_523_456), answeredAt: Timestamp(milliseconds: 1_795_568_525_456),
            endedAt: Timestamp(milliseconds: 1_795_568_537_789))
        let json = answered.toJSON()
        #expect(
            json == [
                "callId": "c1", "from": "alice", "participants": ["alice", "bob"], "media": "video", "status": "ended",
                "endReason": "hangup", "createdAt": "2026-11-25T01:02:03.456Z", "answeredAt": "2026-11-25T01:02:05.456Z",
                "endedAt": "2026-11-25T01:02:17.789Z", "duration": 12.333,
            ])
        #expect(json.objectValue.map { Array($0.map(\.key)) } == [
            "callId", "from", "participants", "media", "status", "endReason", "createdAt", "answeredAt", "endedAt",
            "duration",
        ])
        let unanswered = record(1, reason: .noAnswer)
        #expect(unanswered.toJSON()["answeredAt"] == .null)
        #expect(unanswered.duration == 0)
    }

    @Test func durationNeverGoesNegativeWhenTheClockStepsBack() {
        let record = CallRecord(
            callId: "c", from: "a", participants: ["a", "b"], media: .audio, endReason: .hangup,
            createdAt: Timestamp(milliseconds: 5000), answeredAt: Timestamp(milliseconds: 5000),
            endedAt: Timestamp(milliseconds: 1000))
        #expect(record.duration == 0)
    }

    @Test(arguments: [0, 1, 10, 100, 1000, 1234, 1200, 60_000, 3_600_001, 86_400_000 * 400 + 7] as [Int64])
    func theSavedTextOfARecordIsItsWireJSON(answeredForMilliseconds milliseconds: Int64) {
        let answered = CallRecord(
            callId: "call_\"quoted\"\n", from: "alice", participants: ["alice", "bøb", "carol"], media: .video,
            endReason: .admin, createdAt: Timestamp(milliseconds: 1_795_568_523_456),
            answeredAt: Timestamp(milliseconds: 1_795_568_524_000), endedAt: Timestamp(milliseconds: 1_795_568_524_000 + milliseconds))
        for record in [answered, record(3, reason: .noAnswer)] {
            var bytes: [UInt8] = []
            record.writePersisted(into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == record.toJSON().serialized())
        }
    }

    @Test(arguments: [
        ("", ["a", "b"], CallState.ended, "`callId`: a call id must not be empty"),
        ("c", ["b", "a"], .ended, "`participants`: must be at least two users, caller first, each named once"),
        ("c", ["a"], .ended, "`participants`: must be at least two users, caller first, each named once"),
        ("c", ["a", "b", "a"], .ended, "`participants`: must be at least two users, caller first, each named once"),
        ("c", ["a", "b"], .active, #"`status`: a history record's status is "ended""#),
    ])
    func contradictoryRecordsAreRefused(callId: String, participants: [UserID], status: CallState, message: String) {
        let error = #expect(throws: PersistenceError.self) {
            try CallRecord(
                validatingCallId: callId, from: "a", participants: participants, media: .audio, status: status,
                endReason: .hangup, createdAt: Timestamp(milliseconds: 0), answeredAt: nil, endedAt: Timestamp(milliseconds: 0))
        }
        #expect(error?.description == message)
    }

    @Test func limitDropsOldestAndKeepsTotalsInStep() {
        let loaded = (0..<10).map { record($0, reason: $0 % 2 == 0 ? .hangup : .noAnswer, answeredFor: $0 % 2 == 0 ? 1000 : nil) }
        var harness = Harness(SignalingCore.Configuration(historyLimit: 4), history: loaded)
        #expect(harness.core.historyRecords.map(\.callId) == ["call-6", "call-7", "call-8", "call-9"])
        #expect(harness.core.status.totalCalls == 4)
        #expect(harness.core.status.callsByEndReason[.hangup] == 2)
        #expect(harness.core.status.callsByEndReason[.noAnswer] == 2)

        let alice = harness.device("alice")
        let bob = harness.device("bob")
        for seconds in [3, 5, 7] {
            let callId = harness.call(alice, to: ["bob"])
            _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
            harness.now = harness.now + .seconds(Int64(seconds))
            _ = harness.request(alice, "end_call", [:])
        }
        #expect(harness.core.historyRecords.count == 4)
        #expect(harness.core.historyRecords.first?.callId == "call-9")
        let status = harness.core.status
        #expect(status.totalCalls == 4)
        #expect(status.callsByEndReason == [
            .hangup: 3, .noAnswer: 1, .cancelled: 0, .rejected: 0, .busy: 0, .disconnected: 0, .admin: 0,
        ])
        #expect(status.averageDurationSeconds == 5)
        // Totals always agree with a recount of what history holds.
        let recount = Dictionary(grouping: harness.core.historyRecords, by: \.endReason).mapValues(\.count)
        for reason in EndReason.allCases { #expect(status.callsByEndReason[reason] == (recount[reason] ?? 0)) }
    }

    @Test func manyCallsStayBoundedAndConsistent() {
        var harness = Harness(SignalingCore.Configuration(historyLimit: 50))
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        for index in 0..<500 {
            let callId = harness.call(alice, to: ["bob"])
            if index % 3 == 0 { _ = harness.request(bob, "accept_call", ["callId": .string(callId)]) }
            harness.now = harness.now + .milliseconds(Int64(index))
            _ = harness.request(index % 2 == 0 ? alice : bob, "end_call", [:])
        }
        let records = harness.core.historyRecords
        #expect(records.count == 50)
        let answered = records.filter { $0.answeredAt != nil }
        let expectedAverage = Double(answered.map(\.durationMilliseconds).reduce(0, +) / Int64(answered.count)) / 1000
        #expect(harness.core.status.averageDurationSeconds == expectedAverage)
        #expect(harness.core.status.callsByEndReason.values.reduce(0, +) == 50)
    }

    @Test func reconfigureShrinksHistory() {
        var harness = Harness(history: (0..<5).map { record($0) })
        let version = harness.core.historyVersion
        harness.core.reconfigure(SignalingCore.Configuration(historyLimit: 2))
        #expect(harness.core.historyRecords.map(\.callId) == ["call-3", "call-4"])
        #expect(harness.core.historyVersion > version)
        #expect(harness.core.status.totalCalls == 2)
    }

    @Test func queriesFilterNewestFirst() {
        let records = [
            record(1, users: ["alice", "bob"]), record(2, users: ["carol", "dave"]), record(3, users: ["bob", "alice"]),
            record(4, users: ["alice", "carol", "bob"]), record(5, users: ["dave", "carol"]),
        ]
        let harness = Harness(history: records)
        let core = harness.core
        #expect(core.history().map(\.callId) == ["call-5", "call-4", "call-3", "call-2", "call-1"])
        #expect(core.history(userId: "alice").map(\.callId) == ["call-4", "call-3", "call-1"])
        #expect(core.history(userId: "alice", limit: 2).map(\.callId) == ["call-4", "call-3"])
        #expect(core.history(limit: 0).isEmpty)
        #expect(core.history(limit: -3).isEmpty)
        #expect(core.history(userId: "nobody").isEmpty)
        #expect(
            core.history(since: records[1].createdAt, until: records[3].createdAt).map(\.callId) == [
                "call-4", "call-3", "call-2",
            ])
        #expect(core.history(userId: "carol", since: records[2].createdAt).map(\.callId) == ["call-5", "call-4"])
    }

    @Test func duplicateIdsInLoadedHistoryKeepTheFirst() {
        let harness = Harness(history: [record(1, reason: .hangup), record(1, reason: .busy), record(2)])
        #expect(harness.core.historyRecords.map(\.endReason) == [.hangup, .hangup])
    }

    @Test func statusJSONListsEveryReason() {
        let harness = Harness(history: [record(1, answeredFor: 2500), record(2, reason: .busy)])
        let json = harness.core.status.toJSON()
        #expect(
            json == [
                "connectedUsers": 0, "connectedDevices": 0, "ringingCalls": 0, "activeCalls": 0, "totalCalls": 2,
                "callsByEndReason": [
                    "hangup": 1, "cancelled": 0, "rejected": 0, "busy": 1, "no_answer": 0, "disconnected": 0, "admin": 0,
                ],
                "averageDurationSeconds": 2.5,
            ])
    }
}
