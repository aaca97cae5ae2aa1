import DialtoneJSON
import DialtoneProtocol
import Testing

@Suite("Socket.IO event text")
struct SocketIOEventTextTests {
    @Test(
        "finds the member's text as written",
        arguments: [
            (#"["ice_candidate",{"callId":"c1","candidate":{"candidate":"a","sdpMid":"0"}}]"#,
             #"{"candidate":"a","sdpMid":"0"}"#),
            (#"["offer",{"candidate":"v=0\r\no=- 1 \"x\" {[","callId":"c"}]"#, #""v=0\r\no=- 1 \"x\" {[""#),
            (#" [ "e" , { "a" : [1, {"b":"}"}] , "candidate" :  1.50e3 } ] "#, "1.50e3"),
            (#"["e",{"candidate":null}]"#, "null"),
            (#"["e",{"candidate":"first"},{"candidate":"second argument"}]"#, #""first""#),
            (#"["e",{"candidate":1,"candidate":2}]"#, "1"),
            (#"["e",{"x":"\\","candidate":[]}]"#, "[]"),
        ])
    func found(text: String, member: String) throws {
        let found = try #require(SocketIOEventText.firstArgumentMember("candidate", in: text[...]))
        #expect(String(found) == member)
        // The text is what the parsed value serialises from.
        let parsed = try JSON(parsing: Array(text.utf8))
        let value = try #require(parsed.arrayValue?[1].objectValue?["candidate"])
        #expect(try JSON(parsing: Array(found.utf8)) == value)
    }

    @Test(
        "gives up where the text could differ from the parsed lookup",
        arguments: [
            #"["e",{"callId":"c"}]"#,
            #"["e",{}]"#,
            #"["e"]"#,
            #"["e","candidate"]"#,
            #"["e",["candidate",1]]"#,
            #"["e",{"cand\u0069date":1,"candidate":2}]"#,
            #"["e",{"candidate""#,
            #"["e",{"candidate":"unterminated}]"#,
        ])
    func notFound(text: String) {
        #expect(SocketIOEventText.firstArgumentMember("candidate", in: text[...]) == nil)
    }

    @Test("parse returns the data text after the header")
    func dataText() throws {
        let text = #"2/admin,17["ice_candidate",{"candidate":"x"}]"#
        let (packet, data) = try SocketIOPacket.parse(text[...])
        #expect(packet == SocketIOPacket.event("ice_candidate", [["candidate": "x"]], namespace: "/admin", ackID: 17))
        #expect(data == #"["ice_candidate",{"candidate":"x"}]"#)
        #expect(try SocketIOPacket.parse("1"[...]).dataText.isEmpty)
    }
}
