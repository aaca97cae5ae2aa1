import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct RelayTests {
    /// A candidate with keys in an unusual order and a number written with a trailing zero: both
    /// must arrive exactly as sent.
    let candidate: JSON = .object({
        var object = JSONObject()
        object.append(key: "sdpMLineIndex", value: .number(JSONNumber(text: "0.0")!))
        object.append(key: "candidate", value: "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host")
        object.append(key: "sdpMid", value: "0")
        object.append(key: "usernameFragment", value: nil)
        return object
    }())

    struct ActiveCall {
        var harness: Harness
        let callId: String
        let alice: DeviceID
        let bob: DeviceID
        let bobLaptop: DeviceID
    }

    func activeCall() -> ActiveCall {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let bobLaptop = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        return ActiveCall(harness: harness, callId: callId, alice: alice, bob: bob, bobLaptop: bobLaptop)
    }

    @Test(arguments: RelayKind.allCases)
    func relaysTheBodyUntouched(kind: RelayKind) throws {
        var call = activeCall()
        let before = call.harness.snapshot
        let outcome = call.harness.request(call.alice, kind.event, ["callId": .string(call.callId), kind.bodyKey: candidate])
        #expect(outcome.ok == ["ok": true])
        #expect(outcome.observations.isEmpty)
        #expect(outcome.sends.count == 1)
        let sent = try #require(outcome.sends.first)
        #expect(sent.device == call.bob)
        #expect(sent.event == kind.event)
        let payload = try #require(sent.payload.objectValue)
        #expect(Array(payload.map(\.key)) == ["callId", "from", kind.bodyKey])
        #expect(payload["callId"] == .string(call.callId))
        #expect(payload["from"] == "alice")
        let body = try #require(payload[kind.bodyKey])
        #expect(body == candidate)
        #expect(body.objectValue.map { Array($0.map(\.key)) } == ["sdpMLineIndex", "candidate", "sdpMid", "usernameFragment"])
        #expect(body["sdpMLineIndex"]?.numberValue?.text == "0.0")
        #expect(call.harness.snapshot == before)
    }

    @Test func emptyCandidateIsRelayedLikeAnyOther() {
        var call = activeCall()
        let outcome = call.harness.request(call.bob, "ice_candidate", ["callId": .string(call.callId), "candidate": ["candidate": ""]])
        #expect(
            outcome.payloads("ice_candidate", to: call.alice) == [
                ["callId": .string(call.callId), "from": "bob", "candidate": ["candidate": ""]]
            ])
    }

    @Test func earlyCandidatesReachEveryRingingDeviceAndTheCaller() {
        var harness = Harness()
        let alice = harness.device("alice")
        let phone = harness.device("bob")
        let laptop = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        let fromCaller = harness.request(alice, "ice_candidate", ["callId": .string(callId), "candidate": "c"])
        #expect(fromCaller.recipients(of: "ice_candidate") == [phone, laptop])
        let fromCallee = harness.request(laptop, "ice_candidate", ["callId": .string(callId), "candidate": "d"])
        #expect(fromCallee.recipients(of: "ice_candidate") == [alice])
    }

    @Test func relayErrorsChangeNothing() {
        var call = activeCall()
        let carol = call.harness.device("carol")
        let before = call.harness.snapshot
        let id = JSON.string(call.callId)
        let cases: [(DeviceID, JSON, ErrorCode)] = [
            (call.alice, ["callId": "nope", "sdp": "x"], .callNotFound),
            (carol, ["callId": id, "sdp": "x"], .notAParticipant),
            (call.bobLaptop, ["callId": id, "sdp": "x"], .invalidState),
            (call.alice, ["callId": id, "sdp": "x", "to": "carol"], .notAParticipant),
            (call.alice, ["callId": id, "sdp": "x", "to": "alice"], .notAParticipant),
        ]
        for (device, payload, code) in cases {
            let outcome = call.harness.request(device, "offer", payload)
            #expect(outcome.errorCode == code, "\(payload)")
            #expect(outcome.actions.isEmpty)
        }
        #expect(call.harness.snapshot == before)
    }

    @Test func groupRelayGoesToEveryoneOrOnlyTo() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let carol = harness.device("carol")
        let callId = harness.call(alice, to: ["bob", "carol"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        _ = harness.request(carol, "accept_call", ["callId": .string(callId)])
        let everyone = harness.request(alice, "offer", ["callId": .string(callId), "sdp": "x"])
        #expect(everyone.recipients(of: "offer") == [bob, carol])
        let one = harness.request(bob, "offer", ["callId": .string(callId), "sdp": "y", "to": "carol"])
        #expect(one.sends.map(\.device) == [carol])
        _ = harness.request(carol, "leave_call", ["callId": .string(callId)])
        #expect(harness.request(bob, "offer", ["callId": .string(callId), "sdp": "z", "to": "carol"]).errorCode == .invalidState)
        #expect(harness.request(carol, "offer", ["callId": .string(callId), "sdp": "z"]).errorCode == .invalidState)
    }

    @Test func relayToAParticipantInGraceGoesNowhere() {
        var call = activeCall()
        _ = call.harness.disconnect(call.bob)
        let outcome = call.harness.request(call.alice, "ice_candidate", ["callId": .string(call.callId), "candidate": "c"])
        #expect(outcome.ok != nil)
        #expect(outcome.actions.isEmpty)
    }

    @Test func participantInGraceCannotRelayFromAnotherDeviceUntilItRegistersThere() {
        var call = activeCall()
        _ = call.harness.disconnect(call.bob)
        let before = call.harness.snapshot
        let refused = call.harness.request(call.bobLaptop, "offer", ["callId": .string(call.callId), "sdp": "x"])
        #expect(refused.errorCode == .invalidState)
        #expect(refused.errorMessage?.contains("register again") == true)
        #expect(refused.actions.isEmpty)
        #expect(call.harness.snapshot == before)

        _ = call.harness.request(call.bobLaptop, "register", ["userId": "bob"])
        let relayed = call.harness.request(call.bobLaptop, "offer", ["callId": .string(call.callId), "sdp": "x"])
        #expect(relayed.ok != nil)
        #expect(relayed.recipients(of: "offer") == [call.alice])
    }

    /// The hub's hot path asks `route` instead of handling a request: same recipients, same
    /// sender, same errors.
    @Test func routeAgreesWithHandlingTheRequest() {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let bobLaptop = harness.device("bob")
        let carol = harness.device("carol")
        let stranger = harness.device("dave")
        let unregistered = harness.connect(.anonymous).device
        let callId = harness.call(alice, to: ["bob", "carol"])
        _ = harness.request(bob, "accept_call", ["callId": .string(callId)])
        let cases: [(DeviceID, String, String?)] = [
            (alice, callId, nil), (alice, callId, "bob"), (alice, callId, "carol"), (bob, callId, nil),
            (carol, callId, "alice"), (bobLaptop, callId, nil), (stranger, callId, nil), (alice, "nope", nil),
            (alice, callId, "alice"), (alice, callId, "dave"), (unregistered, callId, nil),
        ]
        let before = harness.snapshot
        for (device, id, to) in cases {
            var payload: JSONObject = ["callId": .string(id), "candidate": "c"]
            if let to { payload.append(key: "to", value: .string(to)) }
            let route = harness.core.route(.iceCandidate, callId: id, to: to, from: device)
            let outcome = harness.request(device, "ice_candidate", .object(payload))
            switch route {
            case .success(let route):
                #expect(outcome.ok == SignalingCore.relayAck, "\(device) \(to ?? "-")")
                #expect(route.recipients == outcome.sends.map(\.device), "\(device) \(to ?? "-")")
                #expect(outcome.sends.allSatisfy { $0.payload["from"] == .string(route.from) })
            case .failure(let error):
                #expect(outcome.errorCode == error.code, "\(device) \(to ?? "-")")
                #expect(outcome.errorMessage == error.message)
            }
        }
        #expect(harness.snapshot == before)
    }
}
