import DialtoneJSON
import Testing

@testable import DialtoneCore

/// Every refused request leaves the core exactly as it was and sends nothing.
@Suite struct FailedRequestTests {
    /// alice → bob ringing (bob on two devices), carol ↔ dave active, erin idle, one anonymous device.
    struct World {
        var harness = Harness(SignalingCore.Configuration(maxIdentifierLength: 32))
        let ringing: String
        let active: String
        let alice, bob, bobLaptop, carol, dave, erin, stranger: DeviceID

        init() {
            alice = harness.device("alice")
            bob = harness.device("bob")
            bobLaptop = harness.device("bob")
            carol = harness.device("carol")
            dave = harness.device("dave")
            erin = harness.device("erin")
            stranger = harness.connect(.anonymous).device
            ringing = harness.call(alice, to: ["bob"], extra: ["callId": "ring-1"])
            active = harness.call(carol, to: ["dave"], extra: ["callId": "live-1"])
            _ = harness.request(dave, "accept_call", ["callId": "live-1"])
        }
    }

    static let cases: [(String, String, JSON, ErrorCode)] = [
        ("stranger", "call", ["to": "bob"], .notRegistered),
        ("stranger", "accept_call", ["callId": "ring-1"], .notRegistered),
        ("erin", "nonsense", [:], .badRequest),
        ("erin", "call", ["to": 3], .badRequest),
        ("erin", "call", ["to": "erin"], .badRequest),
        ("erin", "call", ["to": "bob", "callId": "live-1"], .badRequest),
        ("erin", "call", ["to": "frank", "callId": "ring-1"], .badRequest),
        ("erin", "call", ["to": .string(String(repeating: "z", count: 33))], .badRequest),
        ("alice", "call", ["to": "erin"], .busy),
        ("erin", "accept_call", ["callId": "nope"], .callNotFound),
        ("erin", "accept_call", ["callId": "ring-1"], .notAParticipant),
        ("alice", "accept_call", ["callId": "ring-1"], .invalidState),
        ("dave", "accept_call", ["callId": "live-1"], .invalidState),
        ("erin", "reject_call", ["callId": "ring-1"], .notAParticipant),
        ("dave", "reject_call", ["callId": "live-1"], .invalidState),
        ("erin", "ice_candidate", ["callId": "live-1", "candidate": "x"], .notAParticipant),
        ("carol", "ice_candidate", ["callId": "nope", "candidate": "x"], .callNotFound),
        ("carol", "offer", ["callId": "live-1", "sdp": "x", "to": "erin"], .notAParticipant),
        ("erin", "end_call", [:], .callNotFound),
        ("erin", "end_call", ["callId": "live-1"], .notAParticipant),
        ("erin", "end_call", ["callId": "live"], .callNotFound),
        ("carol", "end_call", ["callId": "ring"], .callNotFound),
        ("erin", "join_call", ["callId": "live-1"], .notAParticipant),
        ("carol", "join_call", ["callId": "live-1"], .invalidState),
        ("bob", "leave_call", ["callId": "ring-1"], .invalidState),
        ("erin", "leave_call", ["callId": "nope"], .callNotFound),
        ("erin", "register", ["userId": "frank"], .invalidState),
        ("stranger", "register", ["userId": ""], .badRequest),
    ]

    @Test(arguments: cases)
    func refusedRequestChangesNothing(sender: String, event: String, payload: JSON, code: ErrorCode) {
        var world = World()
        let devices = [
            "alice": world.alice, "bob": world.bob, "carol": world.carol, "dave": world.dave, "erin": world.erin,
            "stranger": world.stranger,
        ]
        let before = world.harness.snapshot
        let outcome = world.harness.request(devices[sender]!, event, payload)
        #expect(outcome.errorCode == code, "\(outcome.errorMessage ?? "succeeded")")
        #expect(outcome.errorMessage?.isEmpty == false)
        #expect(outcome.actions.isEmpty)
        #expect(outcome.observations.isEmpty)
        #expect(world.harness.snapshot == before)
    }

    @Test func everyProducedCodeIsCovered() {
        let produced = Set(Self.cases.map(\.3))
        let notFromDevices: Set<ErrorCode> = [.unauthorized, .userOffline, .rateLimited, .payloadTooLarge, .internal]
        #expect(produced.union(notFromDevices) == Set(ErrorCode.allCases))
    }
}
