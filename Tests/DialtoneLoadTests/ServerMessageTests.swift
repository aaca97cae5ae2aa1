import Testing

@testable import DialtoneLoad

@Suite struct ServerMessageTests {
    private func parse(_ text: String) -> ServerMessage { ServerMessage(Array(text.utf8)) }

    @Test func engineIOPackets() {
        #expect(parse(#"0{"sid":"x","pingInterval":25000}"#) == .open)
        #expect(parse("2") == .ping([]))
        #expect(parse("2probe") == .ping(Array("probe".utf8)))
        #expect(parse("1") == .close)
        #expect(parse("6") == .ignored)
        #expect(parse("") == .ignored)
    }

    @Test func socketIOPackets() {
        #expect(parse(#"40{"sid":"abc"}"#) == .connected)
        #expect(parse(#"44{"message":"unauthorized"}"#) == .connectError)
        #expect(parse("41") == .close)
        #expect(parse(#"4312[{"ok":true,"callId":"c1"}]"#) == .ack(id: 12, ok: true))
        #expect(parse(#"430[{"ok":false,"error":{"code":"busy"}}]"#) == .ack(id: 0, ok: false))
        #expect(parse("43[]") == .ignored)
    }

    @Test func events() {
        #expect(parse(#"42["incoming_call",{"callId":"c-1","from":"L_0"}]"#) == .event(.incomingCall(callId: "c-1")))
        #expect(parse(#"42["incoming_call",{"from":"L_0"}]"#) == .event(.incomingCall(callId: nil)))
        #expect(parse(#"42["call_accepted",{"callId":"c\"2","from":"L_1"}]"#) == .event(.callAccepted(callId: "c\"2")))
        #expect(
            parse(#"42["ice_candidate",{"callId":"c","from":"L_0","candidate":{"candidate":"x","ts":1234567890123}}]"#)
                == .event(.iceCandidate(timestamp: 1_234_567_890_123)))
        #expect(parse(#"42["ice_candidate",{"candidate":{"ts":"soon"}}]"#) == .event(.iceCandidate(timestamp: nil)))
        #expect(parse(#"42["call_ended",{"callId":"c","reason":"hangup"}]"#) == .event(.callEnded))
        #expect(parse(#"42["registered",{"ok":true}]"#) == .event(.other("registered")))
        #expect(parse(#"427["ringing",{}]"#) == .event(.other("ringing")))
        #expect(parse("42{}") == .ignored)
    }

    @Test func overflowingTimestampIsNotATimestamp() {
        #expect(parse(#"42["ice_candidate",{"ts":99999999999999999999999}]"#) == .event(.iceCandidate(timestamp: nil)))
    }
}
