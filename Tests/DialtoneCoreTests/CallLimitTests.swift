import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct CallLimitTests {
    /// Alice calls two users, both accept and alice leaves: the call goes on without her, still
    /// counted as one she placed.
    private func placeAndLeave(_ harness: inout Harness, from alice: DeviceID, round: Int) throws {
        let bob = harness.device("bob\(round)")
        let carol = harness.device("carol\(round)")
        let callId = harness.call(alice, to: ["bob\(round)", "carol\(round)"])
        for callee in [bob, carol] { _ = harness.request(callee, "accept_call", ["callId": .string(callId)]) }
        let left = harness.request(alice, "leave_call", ["callId": .string(callId)])
        #expect(left.ok?["ok"] == true)
        #expect(harness.core.call(callId) != nil)
    }

    @Test func callBeyondTheLimitIsRateLimitedAndChangesNothing() throws {
        var harness = Harness(.init(maxCallsPerUser: 2))
        let alice = harness.device("alice")
        _ = harness.device("zed")
        for round in 0..<2 { try placeAndLeave(&harness, from: alice, round: round) }
        let before = harness.snapshot
        let refused = harness.request(alice, "call", ["to": "zed"])
        #expect(refused.errorCode == .rateLimited)
        #expect(refused.actions.isEmpty)
        #expect(harness.snapshot == before)
    }

    @Test func anEndedCallFreesItsPlace() throws {
        var harness = Harness(.init(maxCallsPerUser: 1))
        let alice = harness.device("alice")
        _ = harness.device("zed")
        try placeAndLeave(&harness, from: alice, round: 0)
        #expect(harness.request(alice, "call", ["to": "zed"]).errorCode == .rateLimited)
        let live = try #require(harness.core.calls.keys.first)
        let bob = try #require(harness.core.registry.devices(of: "bob0").first)
        _ = harness.request(bob, "end_call", ["callId": .string(live)])
        #expect(harness.request(alice, "call", ["to": "zed"]).ok?["ok"] == true)
    }

    @Test func callsOthersPlacedDoNotCount() {
        var harness = Harness(.init(maxCallsPerUser: 1))
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        _ = harness.device("carol")
        let incoming = harness.call(bob, to: ["alice"])
        _ = harness.request(alice, "reject_call", ["callId": .string(incoming)])
        #expect(harness.request(alice, "call", ["to": "carol"]).ok?["ok"] == true)
    }
}
