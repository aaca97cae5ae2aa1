import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct GroupCallTests {
    @Test func groupCallRingsEveryoneAndSkipsTheBusy() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let dave = harness.device("dave")
        let erin = harness.device("erin")
        let busyCall = harness.call(dave, to: ["erin"])
        _ = harness.request(erin, "accept_call", ["callId": .string(busyCall)])
        let outcome = harness.request(alice, "call", ["to": ["bob", "carol", "dave"]])
        let callId = try #require(outcome.ok?["callId"]?.stringValue)
        #expect(outcome.ok == ["ok": true, "callId": .string(callId), "delivered": 2, "busy": ["dave"]])
        #expect(outcome.recipients(of: "incoming_call") == [bob, carol])
        #expect(outcome.payloads("incoming_call", to: bob).first?["participants"] == ["alice", "bob", "carol", "dave"])
        #expect(outcome.payloads("ringing", to: alice).map { $0["to"] } == ["bob", "carol"])
        #expect(harness.core.call(callId)?.participant("dave")?.state == .left)
    }

    @Test func groupWhereEveryoneIsBusyIsRefusedAndRecorded() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        _ = harness.device("carol")
        _ = harness.call(bob, to: ["carol"])
        let outcome = harness.request(alice, "call", ["to": ["bob", "carol"]])
        #expect(outcome.errorCode == .busy)
        #expect(outcome.endedRecords.map(\.participants) == [["alice", "bob", "carol"]])
        #expect(outcome.endedRecords.map(\.endReason) == [.busy])
    }

    @Test func acceptsJoinsAndLeaves() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        let id = JSON.string(callId)

        let bobAccepts = harness.request(bob, "accept_call", ["callId": id])
        #expect(bobAccepts.events(to: alice) == ["call_accepted"])
        #expect(harness.core.call(callId)?.state == .active)
        #expect(harness.core.call(callId)?.ringDeadline != nil)

        let carolJoins = harness.request(carol, "join_call", ["callId": id])
        #expect(carolJoins.ok == ["ok": true, "callId": id, "joined": ["alice", "bob"]])
        #expect(carolJoins.payloads("participant_joined", to: alice) == [["callId": id, "userId": "carol"]])
        #expect(carolJoins.payloads("participant_joined", to: bob) == [["callId": id, "userId": "carol"]])
        #expect(harness.core.call(callId)?.ringDeadline == nil)

        let bobLeaves = harness.request(bob, "leave_call", ["callId": id])
        #expect(bobLeaves.ok == ["ok": true, "callId": id])
        #expect(bobLeaves.payloads("participant_left", to: alice) == [["callId": id, "userId": "bob"]])
        #expect(bobLeaves.payloads("participant_left", to: carol) == [["callId": id, "userId": "bob"]])
        #expect(bobLeaves.observations == [.participantLeft(callId: callId, userId: "bob", reason: .hangup)])

        let bobRejoins = harness.request(bob, "join_call", ["callId": id])
        #expect(bobRejoins.ok?["joined"] == ["alice", "carol"])
        #expect(harness.request(bob, "join_call", ["callId": id]).errorCode == .invalidState)

        _ = harness.request(bob, "leave_call", ["callId": id])
        harness.now = harness.now + .seconds(4)
        let lastButOne = harness.request(alice, "leave_call", ["callId": id])
        #expect(lastButOne.payloads("call_ended", to: carol) == [["callId": id, "fromUserId": "alice", "reason": "hangup", "duration": 4]])
        #expect(lastButOne.endedRecords.map(\.endReason) == [.hangup])
        #expect(lastButOne.endedRecords.first?.participants == ["alice", "bob", "carol"])
    }

    @Test func callerLeavingAnUnansweredGroupCallCancelsIt() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        let outcome = harness.request(alice, "leave_call", ["callId": .string(callId)])
        #expect(outcome.endedRecords.map(\.endReason) == [.cancelled])
        #expect(outcome.recipients(of: "call_ended") == [bob, carol])
    }

    @Test func joiningWhileRingingStopsOtherDevicesAndAnswers() {
        var harness = Harness()
        let alice = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        _ = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        let outcome = harness.request(phone, "join_call", ["callId": .string(callId)])
        #expect(outcome.payloads("participant_joined", to: alice).count == 1)
        #expect(outcome.payloads("call_ended", to: laptop).first?["reason"] == "answered_elsewhere")
        #expect(harness.core.call(callId)?.answeredAt == harness.now)
    }

    @Test func oneRejectionDoesNotEndAGroupButTheLastDoes() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        let first = harness.request(bob, "reject_call", ["callId": .string(callId)])
        #expect(first.events(to: alice) == ["call_rejected"])
        #expect(first.endedRecords.isEmpty)
        let last = harness.request(carol, "reject_call", ["callId": .string(callId), "reason": "busy"])
        #expect(last.events(to: alice) == ["call_rejected"])
        #expect(last.endedRecords.map(\.endReason) == [.busy])
        #expect(harness.core.liveCalls().isEmpty)
    }

    @Test func ringTimeoutInAnAnsweredGroupOnlyStopsTheRinging() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        let outcome = harness.advance(by: .seconds(30))
        #expect(
            outcome.payloads("call_ended", to: carol) == [
                ["callId": .string(callId), "fromUserId": nil, "reason": "no_answer", "duration": 0]
            ])
        #expect(outcome.events(to: alice).isEmpty)
        #expect(outcome.events(to: bob).isEmpty)
        #expect(outcome.observations == [.participantLeft(callId: callId, userId: "carol", reason: .noAnswer)])
        #expect(harness.core.call(callId)?.state == .active)
        #expect(harness.core.nextDeadline == nil)
        // Carol may still join the live call.
        #expect(harness.request(carol, "join_call", ["callId": .string(callId)]).ok != nil)
    }

    @Test func graceExpiryInAGroupMakesTheParticipantLeave() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        _ = harness.request(carol, "accept_call", ["callId": .string(callId)])
        _ = harness.disconnect(bob)
        let outcome = harness.advance(by: .seconds(20))
        #expect(outcome.payloads("participant_left", to: alice) == [["callId": .string(callId), "userId": "bob"]])
        #expect(outcome.payloads("participant_left", to: carol) == [["callId": .string(callId), "userId": "bob"]])
        #expect(outcome.endedRecords.isEmpty)
        _ = harness.disconnect(carol)
        let second = harness.advance(by: .seconds(20))
        #expect(second.endedRecords.map(\.endReason) == [.disconnected])
        #expect(second.payloads("call_ended", to: alice).first?["fromUserId"] == "carol")
    }

    @Test func joinAndLeaveErrors() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let dave = harness.device("dave")
        let callId = harness.call(alice, to: ["bob", "carol"])
        let id = JSON.string(callId)
        let before = harness.snapshot
        #expect(harness.request(dave, "join_call", ["callId": id]).errorCode == .notAParticipant)
        #expect(harness.request(bob, "join_call", ["callId": "nope"]).errorCode == .callNotFound)
        #expect(harness.request(alice, "join_call", ["callId": id]).errorCode == .invalidState)
        #expect(harness.request(bob, "leave_call", ["callId": id]).errorCode == .invalidState)
        #expect(harness.request(dave, "leave_call", ["callId": id]).errorCode == .notAParticipant)
        #expect(harness.request(carol, "leave_call", ["callId": "nope"]).errorCode == .callNotFound)
        #expect(harness.snapshot == before)
        _ = harness.request(bob, "reject_call", ["callId": id])
        let afterReject = harness.snapshot
        #expect(harness.request(bob, "leave_call", ["callId": id]).errorCode == .invalidState)
        #expect(harness.request(bob, "end_call", ["callId": id]).errorCode == .invalidState)
        #expect(harness.request(bob, "offer", ["callId": id, "sdp": "x"]).errorCode == .invalidState)
        #expect(harness.snapshot == afterReject)
    }

    @Test func joiningWhileInAnotherCallIsBusy() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let dave = harness.device("dave")
        let group = harness.call(alice, to: ["bob", "carol"])
        _ = harness.request(bob, "accept_call", ["callId": .string(group)])
        _ = harness.request(carol, "reject_call", ["callId": .string(group)])
        let other = harness.call(dave, to: ["carol"])

        // Ringing in the other call is enough to be busy; so is being joined in it.
        var before = harness.snapshot
        let whileRinging = harness.request(carol, "join_call", ["callId": .string(group)])
        #expect(whileRinging.errorCode == .busy)
        #expect(whileRinging.actions.isEmpty)
        #expect(harness.snapshot == before)

        _ = harness.request(carol, "accept_call", ["callId": .string(other)])
        before = harness.snapshot
        let whileInACall = harness.request(carol, "join_call", ["callId": .string(group)])
        #expect(whileInACall.errorCode == .busy)
        #expect(whileInACall.errorMessage?.contains(other) == true)
        #expect(harness.snapshot == before)

        _ = harness.request(carol, "end_call", ["callId": .string(other)])
        #expect(harness.request(carol, "join_call", ["callId": .string(group)]).ok?["joined"] == ["alice", "bob"])
    }

    @Test func leaveThatEndsTheCallAcksDurationAndReason() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        _ = harness.device("carol")
        let answered = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(answered)])
        harness.now = harness.now + .seconds(4)
        let left = harness.request(bob, "leave_call", ["callId": .string(answered)])
        #expect(left.ok == ["ok": true, "callId": .string(answered), "duration": 4, "endReason": "hangup"])
        #expect(left.endedRecords.map(\.duration) == [4])

        let unanswered = harness.call(alice, to: ["bob", "carol"])
        let cancelled = harness.request(alice, "leave_call", ["callId": .string(unanswered)])
        #expect(cancelled.ok == ["ok": true, "callId": .string(unanswered), "duration": 0, "endReason": "cancelled"])
    }
}
