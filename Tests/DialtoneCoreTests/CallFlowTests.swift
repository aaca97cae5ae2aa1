import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct CallFlowTests {
    let offer: JSON = ["type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"]
    let answer: JSON = ["type": "answer", "sdp": "v=0\r\n"]

    @Test func callRingsEveryCalleeDevice() throws {
        var harness = Harness()
        let caller = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let metadata: JSON = ["name": "Alice", "n": .number(JSONNumber(text: "1.50")!)]
        let outcome = harness.request(caller, "call", ["to": "bob", "offer": offer, "media": "video", "metadata": metadata])
        let callId = try #require(outcome.ok?["callId"]?.stringValue)
        #expect(outcome.ok == ["ok": true, "callId": .string(callId), "delivered": 2])
        let incoming: JSON = [
            "callId": .string(callId), "from": "alice", "participants": ["alice", "bob"], "offer": offer,
            "media": "video", "metadata": metadata,
        ]
        #expect(outcome.payloads("incoming_call", to: phone) == [incoming])
        #expect(outcome.payloads("incoming_call", to: laptop) == [incoming])
        #expect(outcome.payloads("ringing", to: caller) == [["callId": .string(callId), "to": "bob"]])
        #expect(
            outcome.observations == [
                .callCreated(callId: callId, from: "alice", participants: ["alice", "bob"], media: .video),
                .callRinging(callId: callId, userId: "bob", devices: 2),
            ])
        #expect(harness.core.call(callId)?.state == .ringing)
        #expect(harness.core.status.ringingCalls == 1)
        #expect(harness.core.nextDeadline == harness.now + .seconds(30))
    }

    @Test func generatedCallIdsFollowTheNodeFormatAndAreReproducible() {
        func firstCallId() -> String {
            var harness = Harness()
            let caller = harness.device("alice")
            return harness.call(caller, to: ["bob"])
        }
        let callId = firstCallId()
        #expect(callId == firstCallId())
        let parts = callId.split(separator: "_")
        #expect(parts.count == 3)
        #expect(parts[0] == "call")
        #expect(parts[1] == "\(Harness.start.milliseconds)")
        #expect(parts[2].count == 9)
        #expect(parts[2].allSatisfy { $0.isLowercase || $0.isNumber })
    }

    @Test func offlineCalleeStillRings() {
        var harness = Harness()
        let caller = harness.device("alice")
        let outcome = harness.request(caller, "call", ["to": "bob"])
        #expect(outcome.ok?["delivered"] == 0)
        #expect(outcome.events(to: caller).isEmpty)
        #expect(harness.core.liveCalls(state: .ringing).count == 1)
    }

    @Test func acceptMakesTheCallActiveAndStopsOtherDevices() throws {
        var harness = Harness()
        let caller = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(caller, to: ["bob"])
        harness.now = harness.now + .seconds(3)
        let outcome = harness.request(phone, "accept_call", ["callId": .string(callId), "answer": answer])
        #expect(outcome.ok == ["ok": true, "callId": .string(callId)])
        #expect(outcome.payloads("call_accepted", to: caller) == [["callId": .string(callId), "from": "bob", "answer": answer]])
        #expect(
            outcome.payloads("call_ended", to: laptop) == [
                ["callId": .string(callId), "fromUserId": "bob", "reason": "answered_elsewhere", "duration": 0]
            ])
        #expect(outcome.events(to: phone).isEmpty)
        #expect(outcome.observations == [.callAccepted(callId: callId, userId: "bob")])
        let call = try #require(harness.core.call(callId))
        #expect(call.state == .active)
        #expect(call.answeredAt == harness.now)
        #expect(call.participant("bob")?.device == phone)
        #expect(call.ringDeadline == nil)
        #expect(harness.core.nextDeadline == nil)
        #expect(harness.core.status.activeCalls == 1)

        // The other device hears nothing more about the call.
        let relayed = harness.request(caller, "ice_candidate", ["callId": .string(callId), "candidate": "c"])
        #expect(relayed.recipients(of: "ice_candidate") == [phone])
        let second = harness.request(laptop, "accept_call", ["callId": .string(callId)])
        #expect(second.errorCode == .invalidState)
    }

    @Test func acceptWithoutAnswerSendsNull() {
        var harness = Harness()
        let caller = harness.device("alice")
        let callee = harness.device("bob")
        let callId = harness.call(caller, to: ["bob"])
        let outcome = harness.request(callee, "accept_call", ["callId": .string(callId)])
        #expect(outcome.payloads("call_accepted", to: caller) == [["callId": .string(callId), "from": "bob", "answer": nil]])
    }

    @Test func hangupAfterAnswerRecordsDuration() throws {
        var harness = Harness()
        let caller = harness.device("alice")
        let callee = harness.device("bob")
        let callId = harness.call(caller, to: ["bob"])
        harness.now = harness.now + .milliseconds(2_500)
        let answeredAt = harness.now
        _ = harness.request(callee, "accept_call", ["callId": .string(callId)])
        harness.now = harness.now + .milliseconds(61_234)
        let outcome = harness.request(callee, "end_call", ["callId": .string(callId)])
        #expect(outcome.ok == ["ok": true, "callId": .string(callId), "duration": 61.234])
        #expect(
            outcome.payloads("call_ended", to: caller) == [
                ["callId": .string(callId), "fromUserId": "bob", "reason": "hangup", "duration": 61.234]
            ])
        #expect(outcome.events(to: callee).isEmpty)
        let record = try #require(outcome.endedRecords.first)
        #expect(
            record
                == CallRecord(
                    callId: callId, from: "alice", participants: ["alice", "bob"], media: .audio, endReason: .hangup,
                    createdAt: Harness.start, answeredAt: answeredAt, endedAt: harness.now))
        #expect(record.duration == 61.234)
        #expect(harness.core.call(callId) == nil)
        #expect(harness.core.history() == [record])
        #expect(harness.core.status.activeCalls == 0)
        #expect(harness.core.status.averageDurationSeconds == 61.234)
    }

    @Test func callerEndingWhileRingingCancels() {
        var harness = Harness()
        let caller = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(caller, to: ["bob"])
        let outcome = harness.request(caller, "end_call", [:])
        #expect(outcome.ok == ["ok": true, "callId": .string(callId), "duration": 0])
        let ended: JSON = ["callId": .string(callId), "fromUserId": "alice", "reason": "cancelled", "duration": 0]
        #expect(outcome.payloads("call_ended", to: phone) == [ended])
        #expect(outcome.payloads("call_ended", to: laptop) == [ended])
        #expect(outcome.endedRecords.map(\.endReason) == [.cancelled])
        #expect(outcome.endedRecords.first?.answeredAt == nil)
        #expect(harness.core.nextDeadline == nil)
    }

    @Test func calleeEndingWhileRingingAlsoCancels() {
        var harness = Harness()
        let caller = harness.device("alice")
        let callee = harness.device("bob")
        _ = harness.call(caller, to: ["bob"])
        let outcome = harness.request(callee, "end_call", [:])
        #expect(outcome.endedRecords.map(\.endReason) == [.cancelled])
        #expect(outcome.recipients(of: "call_ended") == [caller])
    }

    @Test(arguments: [(RejectReason.declined, EndReason.rejected), (.busy, .busy)])
    func rejectEndsAOneToOneCall(reason: RejectReason, endReason: EndReason) {
        var harness = Harness()
        let caller = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(caller, to: ["bob"])
        let outcome = harness.request(phone, "reject_call", ["callId": .string(callId), "reason": .string(reason.rawValue)])
        #expect(outcome.ok == ["ok": true, "callId": .string(callId)])
        #expect(
            outcome.payloads("call_rejected", to: caller) == [
                ["callId": .string(callId), "from": "bob", "reason": .string(reason.rawValue)]
            ])
        #expect(outcome.events(to: caller) == ["call_rejected"])
        #expect(
            outcome.payloads("call_ended", to: laptop) == [
                ["callId": .string(callId), "fromUserId": "bob", "reason": .string(endReason.rawValue), "duration": 0]
            ])
        #expect(outcome.events(to: phone).isEmpty)
        #expect(outcome.endedRecords.map(\.endReason) == [endReason])
        #expect(
            outcome.observations.first == .callRejected(callId: callId, userId: "bob", reason: reason))
        #expect(harness.core.liveCalls().isEmpty)
    }

    @Test func busyCalleeIsRefusedAndRecorded() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let first = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(first)])
        let before = harness.core.historyVersion
        let outcome = harness.request(carol, "call", ["to": "bob", "callId": "carol-1", "media": "video"])
        #expect(outcome.errorCode == .busy)
        #expect(outcome.actions.isEmpty)
        let record = try #require(harness.core.history().first)
        #expect(
            record
                == CallRecord(
                    callId: "carol-1", from: "carol", participants: ["carol", "bob"], media: .video, endReason: .busy,
                    createdAt: harness.now, answeredAt: nil, endedAt: harness.now))
        #expect(outcome.endedRecords == [record])
        #expect(harness.core.historyVersion > before)
        #expect(harness.core.status.callsByEndReason[.busy] == 1)
        #expect(harness.core.liveCalls().count == 1)
        // The id is now taken.
        #expect(harness.request(carol, "call", ["to": "alice", "callId": "carol-1"]).errorCode == .badRequest)
    }

    @Test func ringingCalleeIsBusyToo() {
        var harness = Harness()
        let alice = harness.device("alice")
        let carol = harness.device("carol")
        _ = harness.call(alice, to: ["bob"])
        #expect(harness.request(carol, "call", ["to": "bob"]).errorCode == .busy)
    }

    @Test func callerInAnotherCallIsBusyAndNothingIsRecorded() {
        var harness = Harness()
        let alice = harness.device("alice")
        _ = harness.device("bob")
        _ = harness.call(alice, to: ["bob"])
        let before = harness.snapshot
        let outcome = harness.request(alice, "call", ["to": "carol"])
        #expect(outcome.errorCode == .busy)
        #expect(harness.snapshot == before)
    }

    @Test func callIdRulesAndSelfCalls() {
        var harness = Harness(SignalingCore.Configuration(maxIdentifierLength: 10, maxParticipants: 3))
        let alice = harness.device("alice")
        _ = harness.device("bob")
        let before = harness.snapshot
        #expect(harness.request(alice, "call", ["to": "alice"]).errorCode == .badRequest)
        #expect(harness.request(alice, "call", ["to": ["bob", "alice"]]).errorCode == .badRequest)
        #expect(harness.request(alice, "call", ["to": "bob", "callId": "0123456789a"]).errorCode == .badRequest)
        #expect(harness.request(alice, "call", ["to": "0123456789a"]).errorCode == .badRequest)
        #expect(harness.request(alice, "call", ["to": ["b", "c", "d"]]).errorCode == .badRequest)
        #expect(
            harness.core.handle(
                .call(to: [], callId: nil, offer: nil, media: .audio, metadata: nil), from: alice, now: harness.now
            ).errorCode == .badRequest)
        #expect(
            harness.core.handle(
                .call(to: ["b", "b"], callId: nil, offer: nil, media: .audio, metadata: nil), from: alice, now: harness.now
            ).errorCode == .badRequest)
        #expect(harness.snapshot == before)
        let callId = harness.call(alice, to: ["bob"], extra: ["callId": "mine"])
        #expect(callId == "mine")
        let carol = harness.device("carol")
        #expect(harness.request(carol, "call", ["to": "dave", "callId": "mine"]).errorCode == .badRequest)
    }

    @Test func acceptAndRejectErrors() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob"])
        let before = harness.snapshot
        #expect(harness.request(bob, "accept_call", ["callId": "nope"]).errorCode == .callNotFound)
        #expect(harness.request(carol, "accept_call", ["callId": .string(callId)]).errorCode == .notAParticipant)
        #expect(harness.request(alice, "accept_call", ["callId": .string(callId)]).errorCode == .invalidState)
        #expect(harness.request(carol, "reject_call", ["callId": .string(callId)]).errorCode == .notAParticipant)
        #expect(harness.request(alice, "reject_call", ["callId": .string(callId)]).errorCode == .invalidState)
        #expect(harness.request(bob, "reject_call", ["callId": "nope"]).errorCode == .callNotFound)
        #expect(harness.snapshot == before)
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        let active = harness.snapshot
        #expect(harness.request(bob, "reject_call", ["callId": .string(callId)]).errorCode == .invalidState)
        #expect(harness.request(bob, "accept_call", ["callId": .string(callId)]).errorCode == .invalidState)
        #expect(harness.snapshot == active)
    }

    @Test func historyVersionMovesWithCallsButNotWithRelays() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let v0 = harness.core.historyVersion
        let callId = harness.call(alice, to: ["bob"])
        let v1 = harness.core.historyVersion
        #expect(v1 > v0)
        _ = harness.request(alice, "offer", ["callId": .string(callId), "sdp": "x"])
        #expect(harness.core.historyVersion == v1)
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        let v2 = harness.core.historyVersion
        #expect(v2 > v1)
        _ = harness.request(bob, "end_call", [:])
        #expect(harness.core.historyVersion > v2)
    }
}
