import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct DeviceRequestTests {
    struct Malformed: Sendable, CustomTestStringConvertible {
        let event: String
        let payload: JSON
        let message: String

        init(_ event: String, _ payload: JSON, _ message: String) {
            self.event = event
            self.payload = payload
            self.message = message
        }

        var testDescription: String { "\(event) → \(message)" }
    }

    @Test func decodesEveryEvent() throws {
        let offer: JSON = ["type": "offer", "sdp": "v=0\r\n"]
        let cases: [(String, JSON, DeviceRequest)] = [
            ("register", ["userId": "alice"], .register(userId: "alice")),
            (
                "call", ["to": "bob"],
                .call(to: ["bob"], callId: nil, offer: nil, media: .audio, metadata: nil)
            ),
            (
                "call",
                ["to": ["bob", "carol", "bob"], "callId": "c1", "offer": offer, "media": "video", "metadata": ["a": 1]],
                .call(to: ["bob", "carol"], callId: "c1", offer: offer, media: .video, metadata: ["a": 1])
            ),
            (
                "call", ["to": "bob", "callId": nil, "offer": nil, "media": nil, "metadata": nil],
                .call(to: ["bob"], callId: nil, offer: nil, media: .audio, metadata: nil)
            ),
            ("accept_call", ["callId": "c1"], .acceptCall(callId: "c1", answer: nil)),
            ("accept_call", ["callId": "c1", "answer": offer], .acceptCall(callId: "c1", answer: offer)),
            ("reject_call", ["callId": "c1"], .rejectCall(callId: "c1", reason: .declined)),
            ("reject_call", ["callId": "c1", "reason": "busy"], .rejectCall(callId: "c1", reason: .busy)),
            (
                "ice_candidate", ["callId": "c1", "candidate": ["candidate": "", "sdpMid": "0"]],
                .relay(.iceCandidate, callId: "c1", to: nil, body: ["candidate": "", "sdpMid": "0"])
            ),
            (
                "ice_candidate", ["callId": "c1", "candidate": nil],
                .relay(.iceCandidate, callId: "c1", to: nil, body: nil)
            ),
            ("offer", ["callId": "c1", "to": "bob", "sdp": offer], .relay(.offer, callId: "c1", to: "bob", body: offer)),
            ("answer", ["callId": "c1", "sdp": "raw"], .relay(.answer, callId: "c1", to: nil, body: "raw")),
            ("end_call", [:], .endCall(callId: nil)),
            ("end_call", nil, .endCall(callId: nil)),
            ("end_call", ["callId": "c1"], .endCall(callId: "c1")),
            ("join_call", ["callId": "c1"], .joinCall(callId: "c1")),
            ("leave_call", ["callId": "c1", "extra": true], .leaveCall(callId: "c1")),
        ]
        for (event, payload, expected) in cases {
            let request = try DeviceRequest(event: event, payload: payload)
            #expect(request == expected, "\(event) \(payload)")
            #expect(request.event == event)
        }
        #expect(Set(DeviceRequest.eventNames) == Set(cases.map(\.0)))
    }

    static let malformed: [Malformed] = [
        Malformed("hello", [:], "unknown event"),
        Malformed("", [:], "unknown event"),
        Malformed("hello", "text", "unknown event"),
        Malformed("register", "alice", "payload must be an object"),
        Malformed("register", [:], "\"userId\" is required"),
        Malformed("register", ["userId": 7], "\"userId\" must be a string"),
        Malformed("register", ["userId": ""], "\"userId\" must not be empty"),
        Malformed("call", [:], "\"to\" is required"),
        Malformed("call", ["to": 5], "\"to\" must be a user id or a list of user ids"),
        Malformed("call", ["to": ["bob", 5]], "\"to\" must be a user id or a list of user ids"),
        Malformed("call", ["to": []], "at least one user"),
        Malformed("call", ["to": ""], "empty user id"),
        Malformed("call", ["to": ["bob", ""]], "empty user id"),
        Malformed("call", ["to": "bob", "media": "hologram"], "\"media\" must be \"audio\" or \"video\""),
        Malformed("call", ["to": "bob", "media": 1], "\"media\" must be a string"),
        Malformed("call", ["to": "bob", "callId": 12], "\"callId\" must be a string"),
        Malformed("call", ["to": "bob", "callId": ""], "\"callId\" must not be empty"),
        Malformed("call", nil, "payload must be an object"),
        Malformed("accept_call", [:], "\"callId\" is required"),
        Malformed("accept_call", ["callId": ["c1"]], "\"callId\" must be a string"),
        Malformed("reject_call", ["callId": "c1", "reason": "bored"], "\"reason\" must be \"declined\" or \"busy\""),
        Malformed("ice_candidate", ["callId": "c1"], "\"candidate\" is required"),
        Malformed("ice_candidate", ["candidate": "x"], "\"callId\" is required"),
        Malformed("offer", ["callId": "c1"], "\"sdp\" is required"),
        Malformed("answer", ["callId": "c1", "sdp": "x", "to": false], "\"to\" must be a string"),
        Malformed("end_call", ["callId": 3], "\"callId\" must be a string"),
        Malformed("end_call", "c1", "payload must be an object"),
        Malformed("join_call", [:], "\"callId\" is required"),
        Malformed("leave_call", [1, 2], "payload must be an object"),
    ]

    @Test(arguments: malformed)
    func refusesMalformedPayloads(_ malformed: Malformed) {
        #expect {
            try DeviceRequest(event: malformed.event, payload: malformed.payload)
        } throws: { error in
            guard let error = error as? SignalingError else { return false }
            return error.code == .badRequest && error.message.contains(malformed.message)
        }
    }

    @Test func unknownEventMessageIsBounded() {
        let huge = String(repeating: "x", count: 100_000)
        #expect {
            try DeviceRequest(event: huge, payload: [:])
        } throws: { error in
            guard let error = error as? SignalingError else { return false }
            return error.code == .badRequest && error.message.count < 500
        }
    }

    @Test func errorCodesSpellTheContract() {
        #expect(
            ErrorCode.allCases.map(\.rawValue) == [
                "bad_request", "unauthorized", "not_registered", "user_offline", "busy", "call_not_found",
                "not_a_participant", "invalid_state", "rate_limited", "payload_too_large", "internal",
            ])
        #expect(ErrorCode(rawValue: "busy") == .busy)
        #expect(ErrorCode(rawValue: "nope") == nil)
        let error = SignalingError(.busy, "bob is busy")
        #expect(error.ackBody == ["ok": false, "error": ["code": "busy", "message": "bob is busy"]])
        #expect(Outcome(reply: .failure(error)).ackBody == error.ackBody)
        #expect(Outcome(reply: .success(["ok": true])).ackBody == ["ok": true])
        #expect(Outcome().ackBody == nil)
        #expect(error.errorEventPayload(event: "call") == ["code": "busy", "message": "bob is busy", "event": "call"])
    }
}
