import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct RegistrationTests {
    @Test func registerAcksAndEmitsRegistered() throws {
        var harness = Harness(SignalingCore.Configuration(iceServers: [["urls": "stun:stun.example.org"]]))
        let device = harness.connect(.anonymous).device
        let outcome = harness.request(device, "register", ["userId": "alice"])
        let body: JSONObject = [
            "ok": true, "userId": "alice", "sessionId": .string(device.description),
            "iceServers": [["urls": "stun:stun.example.org"]], "calls": [],
        ]
        #expect(outcome.ok == body)
        #expect(outcome.payloads("registered", to: device) == [.object(body)])
        #expect(outcome.observations == [.userOnline("alice", device)])
        #expect(harness.core.users == [UserSummary(userId: "alice", devices: [device], calls: [])])
        #expect(harness.core.status.connectedUsers == 1)
    }

    @Test func reRegisteringAsTheSameUserIsFine() {
        var harness = Harness()
        let device = harness.device("alice")
        let outcome = harness.request(device, "register", ["userId": "alice"])
        #expect(outcome.ok?["userId"] == "alice")
        #expect(outcome.observations.isEmpty)
        #expect(harness.core.users.first?.devices == [device])
    }

    @Test func anotherUserOnARegisteredDeviceIsInvalidState() {
        var harness = Harness()
        let device = harness.device("alice")
        let before = harness.snapshot
        #expect(harness.request(device, "register", ["userId": "bob"]).errorCode == .invalidState)
        #expect(harness.snapshot == before)
    }

    @Test func verifiedIdentityRegistersAtConnectAndRefusesOthers() {
        var harness = Harness()
        let (device, connected) = harness.connect(.verified("alice"))
        #expect(connected.ok?["userId"] == "alice")
        #expect(connected.events(to: device) == ["registered"])
        #expect(harness.request(device, "register", ["userId": "alice"]).ok != nil)
        let before = harness.snapshot
        #expect(harness.request(device, "register", ["userId": "mallory"]).errorCode == .unauthorized)
        #expect(harness.snapshot == before)
    }

    @Test func claimedIdentityRegistersAtConnectAndCannotSwitch() {
        var harness = Harness()
        let (device, connected) = harness.connect(.claimed("alice"))
        #expect(connected.ok?["userId"] == "alice")
        #expect(connected.events(to: device) == ["registered"])
        #expect(harness.request(device, "register", ["userId": "bob"]).errorCode == .invalidState)
    }

    @Test func anonymousConnectRegistersNothing() {
        var harness = Harness()
        let (_, outcome) = harness.connect(.anonymous)
        #expect(outcome.reply == nil)
        #expect(outcome.actions.isEmpty)
        #expect(harness.core.status.connectedDevices == 1)
        #expect(harness.core.status.connectedUsers == 0)
    }

    @Test func claimedIdentityThatIsInvalidLeavesTheDeviceUnregistered() {
        var harness = Harness(SignalingCore.Configuration(maxIdentifierLength: 5))
        let (device, outcome) = harness.connect(.claimed("much-too-long"))
        #expect(outcome.errorCode == .badRequest)
        #expect(harness.core.users.isEmpty)
        #expect(harness.request(device, "register", ["userId": "bob"]).ok != nil)
    }

    @Test func connectingAKnownDeviceAgainIsRefused() {
        var harness = Harness()
        let device = harness.device("alice")
        let before = harness.snapshot
        #expect(harness.core.connect(device, identity: .anonymous, now: harness.now).errorCode == .internal)
        #expect(harness.snapshot == before)
    }

    @Test func overlongUserIdIsBadRequest() {
        var harness = Harness(SignalingCore.Configuration(maxIdentifierLength: 8))
        let device = harness.connect(.anonymous).device
        let before = harness.snapshot
        #expect(harness.request(device, "register", ["userId": "123456789"]).errorCode == .badRequest)
        #expect(harness.snapshot == before)
        #expect(harness.request(device, "register", ["userId": "12345678"]).ok != nil)
    }

    static let callRequests: [(String, JSON)] = [
        ("call", ["to": "bob"]),
        ("accept_call", ["callId": "c1"]),
        ("reject_call", ["callId": "c1"]),
        ("ice_candidate", ["callId": "c1", "candidate": "x"]),
        ("offer", ["callId": "c1", "sdp": "x"]),
        ("answer", ["callId": "c1", "sdp": "x"]),
        ("end_call", [:]),
        ("join_call", ["callId": "c1"]),
        ("leave_call", ["callId": "c1"]),
    ]

    @Test(arguments: callRequests)
    func everyCallRequestNeedsRegistration(event: String, payload: JSON) {
        var harness = Harness()
        let caller = harness.device("alice")
        _ = harness.device("bob")
        _ = harness.call(caller, to: ["bob"], extra: ["callId": "c1"])
        let stranger = harness.connect(.anonymous).device
        let before = harness.snapshot
        let outcome = harness.request(stranger, event, payload)
        #expect(outcome.errorCode == .notRegistered)
        #expect(outcome.actions.isEmpty)
        #expect(harness.snapshot == before)
    }

    @Test func severalDevicesPerUserAndPresence() {
        var harness = Harness()
        let phone = harness.device("alice")
        let laptop = harness.device("alice")
        #expect(harness.core.users == [UserSummary(userId: "alice", devices: [phone, laptop], calls: [])])
        #expect(harness.disconnect(phone).observations.isEmpty)
        #expect(harness.disconnect(laptop).observations == [.userOffline("alice")])
        #expect(harness.core.users.isEmpty)
        #expect(harness.disconnect(laptop).actions.isEmpty)
    }

    @Test func unregisteredDeviceDisconnectsQuietly() {
        var harness = Harness()
        let device = harness.connect(.anonymous).device
        let outcome = harness.disconnect(device)
        #expect(outcome.observations.isEmpty)
        #expect(harness.core.status.connectedDevices == 0)
    }

    @Test func disconnectUserClosesEveryDevice() {
        var harness = Harness()
        let phone = harness.device("alice")
        let laptop = harness.device("alice")
        let before = harness.snapshot
        let outcome = harness.core.disconnectUser("alice")
        #expect(outcome.ok == ["ok": true, "userId": "alice", "devices": 2])
        #expect(
            outcome.actions == [
                .close(phone, reason: "disconnected by the administrator"),
                .close(laptop, reason: "disconnected by the administrator"),
            ])
        #expect(harness.snapshot == before)
        #expect(harness.core.disconnectUser("nobody").errorCode == .userOffline)
    }

    @Test func notifyReachesEveryDevice() {
        var harness = Harness()
        let phone = harness.device("alice")
        let laptop = harness.device("alice")
        let outcome = harness.core.notify("alice", event: "news", data: ["x": [1, 2]])
        #expect(outcome.ok == ["ok": true, "delivered": 2])
        #expect(
            outcome.actions == [
                .send(phone, event: "news", payload: ["x": [1, 2]]), .send(laptop, event: "news", payload: ["x": [1, 2]]),
            ])
        #expect(harness.core.notify("bob", event: "news", data: nil).errorCode == .userOffline)
        #expect(harness.core.notify("alice", event: "", data: nil).errorCode == .badRequest)
    }
}
