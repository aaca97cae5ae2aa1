import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct EndCallTests {
    @Test func endByExactIdPrefixOrOnlyCall() {
        for requested: JSON in ["call-42", "call-4", "c", nil] {
            var harness = Harness()
            let alice = harness.device("alice")
            let bob = harness.device("bob")
            _ = harness.call(alice, to: ["bob"], extra: ["callId": "call-42"])
            _ = harness.request(bob, "accept_call", ["callId": "call-42"])
            let payload: JSON = requested.isNull ? [:] : ["callId": requested]
            let outcome = harness.request(alice, "end_call", payload)
            #expect(outcome.ok?["callId"] == "call-42", "\(requested)")
            #expect(outcome.endedRecords.map(\.endReason) == [.hangup])
        }
    }

    @Test func anExactIdWinsOverPrefixMatches() {
        var harness = Harness()
        let alice = harness.device("alice")
        let carol = harness.device("carol")
        _ = harness.call(alice, to: ["bob"], extra: ["callId": "abc"])
        _ = harness.call(carol, to: ["dave"], extra: ["callId": "abcd"])
        let outcome = harness.request(alice, "end_call", ["callId": "abc"])
        #expect(outcome.ok?["callId"] == "abc")
    }

    @Test func ambiguousPrefixIsRefusedNeverGuessed() {
        // One user in two live calls happens only through a restore, so build it that way.
        let calls = [("call-1", "bob"), ("call-2", "carol")].map { callId, callee in
            LiveCall(
                callId: callId, from: "alice",
                participants: [Participant(userId: "alice", state: .joined), Participant(userId: callee, state: .joined)],
                media: .audio, metadata: nil, offer: nil, createdAt: Harness.start, answeredAt: Harness.start,
                ringDeadline: nil)
        }
        var harness = Harness(live: calls)
        let alice = harness.device("alice")
        let before = harness.snapshot
        let prefix = harness.request(alice, "end_call", ["callId": "call-"])
        #expect(prefix.errorCode == .badRequest)
        #expect(prefix.errorMessage?.contains("ambiguous") == true)
        let none = harness.request(alice, "end_call", [:])
        #expect(none.errorCode == .badRequest)
        #expect(harness.snapshot == before)
        #expect(harness.request(alice, "end_call", ["callId": "call-2"]).ok?["callId"] == "call-2")
        #expect(harness.request(alice, "end_call", [:]).ok?["callId"] == "call-1")
    }

    @Test func notFoundAndNotAParticipant() {
        var harness = Harness()
        let alice = harness.device("alice")
        let carol = harness.device("carol")
        _ = harness.call(alice, to: ["bob"], extra: ["callId": "call-1"])
        let before = harness.snapshot
        #expect(harness.request(carol, "end_call", [:]).errorCode == .callNotFound)
        #expect(harness.request(carol, "end_call", ["callId": "call-1"]).errorCode == .notAParticipant)
        #expect(harness.request(carol, "end_call", ["callId": "call-"]).errorCode == .callNotFound)
        #expect(harness.request(alice, "end_call", ["callId": "zzz"]).errorCode == .callNotFound)
        #expect(harness.snapshot == before)
    }

    @Test func httpCallEndReachesEveryDeviceIncludingTheRequesters() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let aliceLaptop = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        harness.now = harness.now + .seconds(10)
        let outcome = harness.core.endCall(callId: nil, requestedBy: "bob", now: harness.now)
        #expect(outcome.ok == ["ok": true, "callId": .string(callId), "duration": 10])
        #expect(outcome.recipients(of: "call_ended") == [alice, aliceLaptop, bob])
        #expect(
            outcome.payloads("call_ended", to: bob) == [
                ["callId": .string(callId), "fromUserId": "bob", "reason": "hangup", "duration": 10]
            ])
        #expect(outcome.endedRecords.map(\.endReason) == [.hangup])
    }

    @Test func httpCallEndWorksForAnOfflineParticipant() {
        var harness = Harness()
        let alice = harness.device("alice")
        let callId = harness.call(alice, to: ["bob"])
        let outcome = harness.core.endCall(callId: String(callId.prefix(8)), requestedBy: "bob", now: harness.now)
        #expect(outcome.ok?["callId"] == .string(callId))
        #expect(outcome.endedRecords.map(\.endReason) == [.cancelled])
        #expect(outcome.recipients(of: "call_ended") == [alice])
    }

    @Test func httpCallEndErrors() {
        var harness = Harness()
        let alice = harness.device("alice")
        let callId = harness.call(alice, to: ["bob"])
        let before = harness.snapshot
        #expect(harness.core.endCall(callId: callId, requestedBy: "carol", now: harness.now).errorCode == .notAParticipant)
        #expect(harness.core.endCall(callId: "nope", requestedBy: "bob", now: harness.now).errorCode == .callNotFound)
        #expect(harness.core.endCall(callId: nil, requestedBy: "carol", now: harness.now).errorCode == .callNotFound)
        #expect(harness.core.endCall(callId: nil, requestedBy: "", now: harness.now).errorCode == .badRequest)
        #expect(harness.snapshot == before)
    }

    @Test func adminEndsAnyCall() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        harness.now = harness.now + .milliseconds(1500)
        let before = harness.snapshot
        #expect(harness.core.endCallAsAdmin(callId: String(callId.dropLast()), now: harness.now).errorCode == .callNotFound)
        #expect(harness.snapshot == before)
        let outcome = harness.core.endCallAsAdmin(callId: callId, now: harness.now)
        #expect(outcome.ok == ["ok": true, "callId": .string(callId), "duration": 1.5])
        let ended: JSON = ["callId": .string(callId), "fromUserId": nil, "reason": "admin", "duration": 1.5]
        #expect(outcome.payloads("call_ended", to: alice) == [ended])
        #expect(outcome.payloads("call_ended", to: bob) == [ended])
        #expect(outcome.endedRecords.map(\.endReason) == [.admin])
    }
}
