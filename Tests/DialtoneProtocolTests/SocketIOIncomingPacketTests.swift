import DialtoneJSON
import DialtoneProtocol
import Testing

/// Events are kept as text, everything else parsed; both must accept and refuse exactly what the
/// full parse does.
@Suite("Socket.IO incoming packets")
struct SocketIOIncomingPacketTests {
    @Test(
        "an EVENT keeps its data as text; its arguments parse to the full parse's",
        arguments: [
            #"2["ice_candidate",{"callId":"c1","candidate":{"candidate":"a","sdpMid":"0"}}]"#,
            #"2/admin,17["hello",1,"two",[3]]"#,
            #"21["a\"b"]"#,
            #"2 [ "spaced" , { } ] "#,
        ])
    func event(text: String) throws {
        let full = try SocketIOPacket(text: text)
        guard case .event(let event) = try SocketIOIncomingPacket(text: text[...]) else {
            Issue.record("not kept as an event: \(text)")
            return
        }
        let (name, arguments) = try #require(full.event)
        #expect(event.name == name)
        #expect(event.arguments() == arguments)
        #expect(event.namespace == full.namespace)
        #expect(event.ackID == full.ackID)
        #expect(try JSON(parsing: Array(event.dataText.utf8)) == full.data)
    }

    @Test(
        "other packets are parsed whole",
        arguments: [
            "0", #"0{"token":"x"}"#, "1", "1/admin,", #"31["ok"]"#, #"51-["b",{"_placeholder":true,"num":0}]"#,
            #"4{"message":"no"}"#,
        ])
    func other(text: String) throws {
        guard case .other(let packet) = try SocketIOIncomingPacket(text: text[...]) else {
            Issue.record("kept as an event: \(text)")
            return
        }
        #expect(packet == (try SocketIOPacket(text: text)))
    }

    @Test(
        "refuses what the full parse refuses, with the same error",
        arguments: [
            "", "9", "2", "2[]", "2[1]", #"2{"a":1}"#, #"2"name""#, #"2["a",]"#, #"2["a"] x"#, #"2["a",{"b":01}]"#,
            #"2["a","\ud800"]"#, "2[\"a\",\"\u{01}\"]", "2abc[\"a\"]", #"2/admin["a"]"#, #"2999999999999["a"]"#,
            "2" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        ])
    func refused(text: String) {
        let full = #expect(throws: SocketIOError.self) { try SocketIOPacket(text: text) }
        let incoming = #expect(throws: SocketIOError.self) { try SocketIOIncomingPacket(text: text[...]) }
        #expect(incoming == full, "\(text)")
    }
}
