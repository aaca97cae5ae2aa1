import Testing

@testable import DialtoneLoad

@Suite struct LoadPairTests {
    @Test func relayStreamsWithinTheWindow() {
        var pair = LoadPair(mode: .relay, window: 3, icePerDirection: 4)
        #expect(pair.startCall(now: 1) == [.send(.caller, .call(ackID: 0))])
        #expect(pair.isCallAck(0))
        #expect(pair.received(.incomingCall(callId: "c1"), by: .callee, now: 2, running: false) == [.send(.callee, .accept(callId: "c1"))])
        // Set-up phase: the call is up but nothing streams until every pair is.
        #expect(pair.received(.callAccepted(callId: "c1"), by: .caller, now: 3, running: false) == [.becameActive])
        let burst = pair.fill(now: 10)
        #expect(burst == Array(repeating: .send(.caller, .ice(callId: "c1", sequence: nil, timestamp: 10)), count: 3))
        #expect(pair.inFlight == 3)
        #expect(pair.fill(now: 11).isEmpty)
        #expect(
            pair.received(.iceCandidate(timestamp: 10), by: .callee, now: 20, running: true)
                == [.relayed(sentAt: 10), .send(.caller, .ice(callId: "c1", sequence: nil, timestamp: 20))])
        #expect(pair.received(.iceCandidate(timestamp: 10), by: .callee, now: 21, running: false) == [.relayed(sentAt: 10)])
        #expect(pair.inFlight == 2)
        #expect(pair.isBusy)
        #expect(pair.hangUp() == [.send(.caller, .end(callId: "c1"))])
        #expect(pair.state == .ending)
        #expect(pair.received(.callEnded, by: .callee, now: 30, running: false).isEmpty)
        #expect(pair.state == .ended)
    }

    @Test func callsLoopTheLifecycle() {
        var pair = LoadPair(mode: .calls, window: 1, icePerDirection: 2)
        _ = pair.startCall(now: 100)
        let answered = pair.received(.incomingCall(callId: "c1"), by: .callee, now: 110, running: true)
        #expect(
            answered == [
                .send(.callee, .accept(callId: "c1")),
                .send(.callee, .ice(callId: "c1", sequence: 0, timestamp: 110)),
                .send(.callee, .ice(callId: "c1", sequence: 1, timestamp: 110)),
            ])
        #expect(pair.received(.callAccepted(callId: "c1"), by: .caller, now: 120, running: true).count == 2)
        #expect(pair.received(.iceCandidate(timestamp: nil), by: .callee, now: 121, running: true).isEmpty)
        #expect(pair.received(.iceCandidate(timestamp: nil), by: .callee, now: 122, running: true).isEmpty)
        #expect(pair.received(.iceCandidate(timestamp: nil), by: .caller, now: 123, running: true).isEmpty)
        // The last ICE each way ends the call.
        #expect(pair.received(.iceCandidate(timestamp: nil), by: .caller, now: 124, running: true) == [.send(.caller, .end(callId: "c1"))])
        #expect(pair.isBusy)
        // The caller's own call_ended does not count: the callee's does, and starts the next call.
        #expect(pair.received(.callEnded, by: .caller, now: 125, running: true).isEmpty)
        #expect(
            pair.received(.callEnded, by: .callee, now: 130, running: true)
                == [.completedCall(startedAt: 100), .send(.caller, .call(ackID: 1))])
        #expect(pair.isCallAck(1) && !pair.isCallAck(0))
        _ = pair.received(.incomingCall(callId: "c2"), by: .callee, now: 140, running: true)
        #expect(pair.received(.callEnded, by: .callee, now: 150, running: false) == [.completedCall(startedAt: 130)])
        #expect(!pair.isBusy)
    }

    @Test func incomingCallWithoutIdIsAnError() {
        var pair = LoadPair(mode: .relay, window: 1, icePerDirection: 1)
        _ = pair.startCall(now: 0)
        #expect(pair.received(.incomingCall(callId: nil), by: .callee, now: 1, running: false) == [.protocolError])
    }
}
