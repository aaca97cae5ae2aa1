import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct TimerTests {
    @Test func ringTimeoutEndsNoAnswer() {
        var harness = Harness()
        let alice = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        #expect(harness.core.nextDeadline == Harness.start + .seconds(30))
        #expect(harness.advance(by: .milliseconds(29_999)).actions.isEmpty)
        let outcome = harness.advance(by: .milliseconds(1))
        let ended: JSON = ["callId": .string(callId), "fromUserId": nil, "reason": "no_answer", "duration": 0]
        #expect(outcome.payloads("call_ended", to: alice) == [ended])
        #expect(outcome.payloads("call_ended", to: phone) == [ended])
        #expect(outcome.payloads("call_ended", to: laptop) == [ended])
        #expect(outcome.endedRecords.map(\.endReason) == [.noAnswer])
        #expect(outcome.endedRecords.first?.endedAt == harness.now)
        #expect(outcome.reply == nil)
        #expect(harness.core.liveCalls().isEmpty)
        #expect(harness.core.nextDeadline == nil)
        #expect(harness.advance(by: .seconds(60)).actions.isEmpty)
    }

    @Test func ringTimeoutIsConfigurable() {
        var harness = Harness(SignalingCore.Configuration(ringTimeout: .seconds(5)))
        let alice = harness.device("alice")
        _ = harness.call(alice, to: ["bob"])
        #expect(harness.core.nextDeadline == Harness.start + .seconds(5))
        #expect(harness.advance(by: .seconds(5)).endedRecords.map(\.endReason) == [.noAnswer])
    }

    @Test func lateAdvanceStillEndsEverythingDue() {
        var harness = Harness()
        let alice = harness.device("alice")
        let carol = harness.device("carol")
        _ = harness.call(alice, to: ["bob"])
        harness.now = harness.now + .seconds(10)
        _ = harness.call(carol, to: ["dave"])
        let outcome = harness.advance(by: .seconds(3600))
        #expect(outcome.endedRecords.map(\.from) == ["alice", "carol"])
    }

    @Test func offlineCalleeRegisteringInTimeGetsTheCall() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let callId = harness.call(alice, to: ["bob"], extra: ["offer": ["sdp": "o"]])
        harness.now = harness.now + .seconds(12)
        let bob = harness.connect(.anonymous).device
        let outcome = harness.request(bob, "register", ["userId": "bob"])
        #expect(outcome.events(to: bob) == ["registered", "incoming_call"])
        #expect(
            outcome.payloads("incoming_call", to: bob) == [
                [
                    "callId": .string(callId), "from": "alice", "participants": ["alice", "bob"], "offer": ["sdp": "o"],
                    "media": "audio", "metadata": nil,
                ]
            ])
        #expect(outcome.payloads("ringing", to: alice) == [["callId": .string(callId), "to": "bob"]])
        let calls = try #require(outcome.ok?["calls"]?.arrayValue)
        #expect(calls.map { $0["callId"] } == [.string(callId)])
        #expect(calls.first?["state"] == "ringing")
        #expect(calls.first?["offer"] == ["sdp": "o"])
        // The ring deadline did not move.
        #expect(harness.core.nextDeadline == Harness.start + .seconds(30))
        #expect(harness.request(bob, "accept_call", ["callId": .string(callId)]).ok != nil)
    }

    @Test func aSecondDeviceJoiningLaterAlsoRingsWithoutRepeatingRinging() {
        var harness = Harness()
        let alice = harness.device("alice")
        _ = harness.device("bob")
        _ = harness.call(alice, to: ["bob"])
        let laptop = harness.connect(.anonymous).device
        let outcome = harness.request(laptop, "register", ["userId": "bob"])
        #expect(outcome.events(to: laptop) == ["registered", "incoming_call"])
        #expect(outcome.events(to: alice).isEmpty)
    }

    @Test func reconnectGraceResumesAnActiveCall() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        harness.now = harness.now + .seconds(5)
        let dropped = harness.disconnect(bob)
        #expect(
            dropped.observations == [
                .participantDisconnected(callId: callId, userId: "bob", until: harness.now + .seconds(20)),
                .userOffline("bob"),
            ])
        #expect(dropped.actions.isEmpty)
        #expect(harness.core.nextDeadline == harness.now + .seconds(20))
        #expect(harness.core.call(callId)?.participant("bob")?.reconnectDeadline == harness.now + .seconds(20))
        #expect(harness.advance(by: .milliseconds(19_999)).actions.isEmpty)

        let back = harness.connect(.anonymous).device
        let outcome = harness.request(back, "register", ["userId": "bob"])
        let calls = try #require(outcome.ok?["calls"]?.arrayValue)
        #expect(calls.map { $0["callId"] } == [.string(callId)])
        #expect(calls.first?["state"] == "active")
        #expect(outcome.observations.contains(.participantResumed(callId: callId, userId: "bob", device: back)))
        #expect(outcome.events(to: back) == ["registered"])
        #expect(harness.core.call(callId)?.participant("bob")?.device == back)
        #expect(harness.core.nextDeadline == nil)
        #expect(harness.advance(by: .seconds(60)).actions.isEmpty)
        let relayed = harness.request(alice, "ice_candidate", ["callId": .string(callId), "candidate": "c"])
        #expect(relayed.recipients(of: "ice_candidate") == [back])
    }

    @Test func reconnectGraceExpiryEndsAOneToOneCallDisconnected() {
        var harness = Harness(SignalingCore.Configuration(reconnectGrace: .seconds(7)))
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        harness.now = harness.now + .seconds(3)
        _ = harness.disconnect(bob)
        let outcome = harness.advance(by: .seconds(7))
        #expect(
            outcome.payloads("call_ended", to: alice) == [
                ["callId": .string(callId), "fromUserId": "bob", "reason": "disconnected", "duration": 10]
            ])
        #expect(outcome.endedRecords.map(\.endReason) == [.disconnected])
        #expect(harness.core.liveCalls().isEmpty)
        // Coming back too late finds nothing.
        let back = harness.connect(.anonymous).device
        #expect(harness.request(back, "register", ["userId": "bob"]).ok?["calls"] == [])
    }

    @Test func registeringAgainOnAnotherStillConnectedDeviceResumes() {
        var harness = Harness()
        let alice = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(phone, "accept_call", ["callId": .string(callId)])
        let dropped = harness.disconnect(phone)
        #expect(dropped.observations.contains(.userOffline("bob")) == false)
        #expect(harness.core.call(callId)?.participant("bob")?.reconnectDeadline != nil)
        let outcome = harness.request(laptop, "register", ["userId": "bob"])
        #expect(outcome.observations == [.participantResumed(callId: callId, userId: "bob", device: laptop)])
        #expect(harness.core.call(callId)?.participant("bob")?.device == laptop)
    }

    @Test func callerDroppingWhileRingingGetsGraceThenEndsDisconnected() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.disconnect(alice)
        let outcome = harness.advance(by: .seconds(20))
        #expect(
            outcome.payloads("call_ended", to: bob) == [
                ["callId": .string(callId), "fromUserId": "alice", "reason": "disconnected", "duration": 0]
            ])
        #expect(outcome.endedRecords.map(\.endReason) == [.disconnected])
    }

    @Test func calleeLosingItsLastDeviceWhileRingingGetsGrace() {
        var harness = Harness()
        let alice = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        #expect(harness.disconnect(phone).observations.isEmpty)
        let last = harness.disconnect(laptop)
        #expect(last.observations.first == .participantDisconnected(callId: callId, userId: "bob", until: harness.now + .seconds(20)))

        // Registering in time rings again and clears the grace.
        harness.now = harness.now + .seconds(5)
        let back = harness.connect(.anonymous).device
        let outcome = harness.request(back, "register", ["userId": "bob"])
        #expect(outcome.events(to: back) == ["registered", "incoming_call"])
        #expect(outcome.events(to: alice) == ["ringing"])
        #expect(harness.core.call(callId)?.participant("bob")?.reconnectDeadline == nil)
        #expect(harness.core.nextDeadline == Harness.start + .seconds(30))

        // Losing it again and staying away ends the call disconnected before the ring timeout.
        _ = harness.disconnect(back)
        let expired = harness.advance(by: .seconds(20))
        #expect(expired.endedRecords.map(\.endReason) == [.disconnected])
        #expect(expired.payloads("call_ended", to: alice).first?["fromUserId"] == "bob")
    }

    @Test func ringTimeoutWinsATieWithGrace() {
        var harness = Harness(SignalingCore.Configuration(ringTimeout: .seconds(20), reconnectGrace: .seconds(20)))
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        _ = harness.call(alice, to: ["bob"])
        _ = harness.disconnect(bob)
        #expect(harness.advance(by: .seconds(20)).endedRecords.map(\.endReason) == [.noAnswer])
    }

    @Test func deadlinesStayExactAfterResumeAndDropAgain() {
        var harness = Harness(SignalingCore.Configuration(reconnectGrace: .seconds(10)))
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        _ = harness.disconnect(bob)
        let back = harness.device("bob")
        harness.now = harness.now + .seconds(4)
        _ = harness.disconnect(back)
        #expect(harness.core.nextDeadline == harness.now + .seconds(10))
        #expect(harness.advance(by: .seconds(9)).actions.isEmpty)
        #expect(harness.advance(by: .seconds(1)).endedRecords.map(\.endReason) == [.disconnected])
    }

    @Test func callerInGraceGetsTheAnswerWhenItResumes() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"], extra: ["offer": ["type": "offer", "sdp": "v=0 o"]])
        _ = harness.disconnect(alice)
        let answer: JSON = ["type": "answer", "sdp": "v=0 a"]
        let accepted = harness.request(bob, "accept_call", ["callId": .string(callId), "answer": answer])
        #expect(accepted.recipients(of: "call_accepted").isEmpty)

        let back = harness.connect(.anonymous).device
        let outcome = harness.request(back, "register", ["userId": "alice"])
        let calls = try #require(outcome.ok?["calls"]?.arrayValue)
        #expect(calls.first?["offer"] == ["type": "offer", "sdp": "v=0 o"])
        #expect(calls.first?["answer"] == answer)
        #expect(calls.first?["answeredBy"] == "bob")
        #expect(outcome.events(to: back) == ["registered", "call_accepted"])
        #expect(outcome.payloads("call_accepted", to: back) == [["callId": .string(callId), "from": "bob", "answer": answer]])
        #expect(harness.core.call(callId)?.callerAwaitsAnswer == false)

        // Delivered once: registering again, or dropping and resuming again, does not repeat it.
        #expect(harness.request(back, "register", ["userId": "alice"]).events(to: back) == ["registered"])
        _ = harness.disconnect(back)
        let again = harness.device("alice")
        #expect(harness.request(again, "register", ["userId": "alice"]).recipients(of: "call_accepted").isEmpty)
    }

    @Test func callerThatGotTheAnswerIsNotSentItAgainOnResume() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        let accepted = harness.request(bob, "accept_call", ["callId": .string(callId), "answer": "sdp"])
        #expect(accepted.recipients(of: "call_accepted") == [alice])
        _ = harness.disconnect(alice)
        let back = harness.connect(.anonymous).device
        let outcome = harness.request(back, "register", ["userId": "alice"])
        #expect(outcome.events(to: back) == ["registered"])
        #expect(outcome.ok?["calls"]?.arrayValue?.first?["answer"] == "sdp")
    }
}
