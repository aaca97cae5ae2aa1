import DialtoneJSON
import Testing

@testable import DialtoneCore

/// A core that serves before its history file is read, then merges the records in.
@Suite struct LoadedHistoryTests {
    func record(_ callId: String, reason: EndReason = .hangup, answeredFor milliseconds: Int64? = nil) -> CallRecord {
        let created = Timestamp(milliseconds: 1_000_000)
        return CallRecord(
            callId: callId, from: "x", participants: ["x", "y"], media: .audio, endReason: reason,
            createdAt: created, answeredAt: milliseconds.map { _ in created },
            endedAt: created + .milliseconds(milliseconds ?? 0))
    }

    /// Ends one answered call of `seconds` between alice and bob and returns its id.
    func endCall(_ harness: inout Harness, _ alice: DeviceID, _ bob: DeviceID, seconds: Int64, callId: String? = nil)
        -> String
    {
        let id = harness.call(alice, to: ["bob"], extra: callId.map { ["callId": .string($0)] } ?? [:])
        _ = harness.request(bob, "accept_call", ["callId": .string(id)])
        harness.now = harness.now + .seconds(seconds)
        _ = harness.request(alice, "end_call", [:])
        return id
    }

    @Test func loadedRecordsGoBeforeTheCallsEndedWhileLoadingAndCountAsIfLoadedAtStart() {
        let loaded = [record("old-1", reason: .noAnswer), record("old-2", answeredFor: 4000), record("old-3", reason: .busy)]
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let ended = [endCall(&harness, alice, bob, seconds: 2), endCall(&harness, alice, bob, seconds: 6)]
        let version = harness.core.historyVersion

        let displaced = harness.core.mergeLoadedHistory(SignalingCore.LoadedHistory(loaded))

        #expect(displaced.isEmpty)
        #expect(harness.core.historyRecords.map(\.callId) == ["old-1", "old-2", "old-3"] + ended)
        #expect(harness.core.historyVersion > version)
        // The same totals as a core that started with every record.
        let started = Harness(history: harness.core.historyRecords)
        #expect(harness.core.status.callsByEndReason == started.core.status.callsByEndReason)
        #expect(harness.core.history.totals == started.core.history.totals)
        #expect(harness.core.status.totalCalls == 5)
        #expect(harness.core.status.averageDurationSeconds == 4)
        #expect(harness.core.history(limit: 2).map(\.callId) == ended.reversed())
        #expect(harness.core.record("old-2")?.durationMilliseconds == 4000)
    }

    @Test func theLimitInForceAtTheMergeKeepsTheNewest() {
        var harness = Harness(SignalingCore.Configuration(historyLimit: 3))
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let ended = endCall(&harness, alice, bob, seconds: 1)
        harness.core.reconfigure(SignalingCore.Configuration(historyLimit: 4))

        harness.core.mergeLoadedHistory(SignalingCore.LoadedHistory((1...5).map { record("old-\($0)") }))

        #expect(harness.core.historyRecords.map(\.callId) == ["old-3", "old-4", "old-5", ended])
        #expect(harness.core.status.totalCalls == 4)
        #expect(harness.core.status.callsByEndReason[.hangup] == 4)
    }

    @Test func duplicateIdsInTheLoadedRecordsKeepTheFirst() {
        let loaded = SignalingCore.LoadedHistory([record("dup"), record("dup", reason: .busy), record("other")])
        #expect(loaded.count == 2)
        var harness = Harness()
        harness.core.mergeLoadedHistory(loaded)
        #expect(harness.core.historyRecords.map(\.endReason) == [.hangup, .hangup])
    }

    @Test func anOldIdUsedAgainWhileLoadingGivesWayToTheNewerCall() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let reused = endCall(&harness, alice, bob, seconds: 3, callId: "old-1")
        let live = harness.call(carol, to: ["dave"], extra: ["callId": "old-3"])

        let displaced = harness.core.mergeLoadedHistory(
            SignalingCore.LoadedHistory([record("old-1", reason: .busy), record("old-2"), record("old-3")]))

        #expect(Set(displaced) == ["old-1", "old-3"])
        #expect(harness.core.historyRecords.map(\.callId) == ["old-2", reused])
        #expect(harness.core.record("old-1")?.endReason == .hangup)
        #expect(harness.core.record("old-3") == nil)
        #expect(harness.core.call(live) != nil)
        #expect(harness.core.status.totalCalls == 2)
        #expect(harness.core.status.callsByEndReason[.busy] == 0)
        // The live call's record, when it ends, is the only one with its id.
        _ = harness.request(carol, "end_call", [:])
        #expect(harness.core.historyRecords.map(\.callId) == ["old-2", reused, live])
        #expect(harness.core.status.callsByEndReason[.cancelled] == 1)
    }

    @Test func idsOfMergedRecordsAreTakenForNewCalls() {
        var harness = Harness()
        harness.core.mergeLoadedHistory(SignalingCore.LoadedHistory([record("old-1")]))
        let alice = harness.device("alice")
        let outcome = harness.request(alice, "call", ["to": ["bob"], "callId": "old-1"])
        #expect(outcome.errorCode == .badRequest)
    }
}

extension LoadedHistoryTests {
    @Test func theCoreTellsWhetherTheLoadedRecordsAreIn() {
        var harness = Harness(history: [record("old-1")])
        #expect(!harness.core.hasMergedLoadedHistory)
        harness.core.mergeLoadedHistory(SignalingCore.LoadedHistory([]))
        #expect(harness.core.hasMergedLoadedHistory)
        #expect(harness.core.historyRecords.map(\.callId) == ["old-1"])
        harness.core.reconfigure(SignalingCore.Configuration(historyLimit: 0))
        #expect(harness.core.hasMergedLoadedHistory)
    }
}
