import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct ObservationTests {
    @Test func observationsBecomeTypedEvents() {
        let record = CallRecord(
            callId: "c1", from: "a", participants: ["a", "b"], media: .audio, endReason: .noAnswer,
            createdAt: Timestamp(milliseconds: 0), answeredAt: nil, endedAt: Timestamp(milliseconds: 30_000))
        let cases: [(Observation, JSONObject)] = [
            (.userOnline("a", DeviceID(7)), ["type": "user.online", "userId": "a", "sessionId": "d7"]),
            (.userOffline("a"), ["type": "user.offline", "userId": "a"]),
            (
                .callCreated(callId: "c1", from: "a", participants: ["a", "b"], media: .video),
                ["type": "call.created", "callId": "c1", "from": "a", "participants": ["a", "b"], "media": "video"]
            ),
            (
                .callRinging(callId: "c1", userId: "b", devices: 2),
                ["type": "call.ringing", "callId": "c1", "userId": "b", "devices": 2]
            ),
            (.callAccepted(callId: "c1", userId: "b"), ["type": "call.accepted", "callId": "c1", "userId": "b"]),
            (
                .callRejected(callId: "c1", userId: "b", reason: .busy),
                ["type": "call.rejected", "callId": "c1", "userId": "b", "reason": "busy"]
            ),
            (
                .callEnded(record),
                [
                    "type": "call.ended", "callId": "c1", "from": "a", "participants": ["a", "b"], "media": "audio",
                    "status": "ended", "endReason": "no_answer", "createdAt": "1970-01-01T00:00:00.000Z",
                    "answeredAt": nil, "endedAt": "1970-01-01T00:00:30.000Z", "duration": 0,
                ]
            ),
            (.participantJoined(callId: "c1", userId: "b"), ["type": "participant.joined", "callId": "c1", "userId": "b"]),
            (
                .participantLeft(callId: "c1", userId: "b", reason: .disconnected),
                ["type": "participant.left", "callId": "c1", "userId": "b", "reason": "disconnected"]
            ),
            (
                .participantDisconnected(callId: "c1", userId: "b", until: Timestamp(milliseconds: 20_000)),
                [
                    "type": "participant.disconnected", "callId": "c1", "userId": "b",
                    "reconnectDeadline": "1970-01-01T00:00:20.000Z",
                ]
            ),
            (
                .participantResumed(callId: "c1", userId: "b", device: DeviceID(9)),
                ["type": "participant.resumed", "callId": "c1", "userId": "b", "sessionId": "d9"]
            ),
        ]
        for (observation, json) in cases {
            #expect(observation.toJSON() == json)
            #expect(Observation.types.contains(observation.type))
        }
        #expect(Set(cases.map(\.0.type)) == Set(Observation.types))
    }

    @Test func aFullCallReportsEachChangeOnce() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        let ended = harness.request(alice, "end_call", [:])
        #expect(ended.observations.map(\.type) == ["call.ended"])
        let offline = harness.disconnect(alice)
        #expect(offline.observations == [.userOffline("alice")])
    }
}
