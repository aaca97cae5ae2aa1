import DialtoneJSON
import NIOCore
import Testing

@testable import DialtoneServer

@Suite("Socket.IO verbatim members")
struct SocketIOVerbatimTests {
    @Test("the member's text replaces its value; the rest is serialised compactly, in order")
    func envelope() {
        var object = JSONObject()
        object.append(key: "callId", value: "c\"1")
        object.append(key: "from", value: "alice")
        object.append(key: "n", value: .number(JSONNumber(text: "1.50")!))
        object.append(key: "candidate", value: ["parsed": true])
        let text = #"{ "candidate" : "a\u00e9" }"#
        let packet = SocketIOEncodedPacket(
            event: "ice_candidate", object: object, verbatim: ("candidate", text[...]))
        #expect(
            String(buffer: packet.frame)
                == #"42["ice_candidate",{"callId":"c\"1","from":"alice","n":1.50,"candidate":{ "candidate" : "a\u00e9" }}]"#)
    }

    @Test("a namespace other than / comes before the data")
    func namespace() {
        let packet = SocketIOEncodedPacket(
            event: "offer", object: ["sdp": "x"], verbatim: ("sdp", #""v=0""#[...]), namespace: "/calls")
        #expect(String(buffer: packet.frame) == #"42/calls,["offer",{"sdp":"v=0"}]"#)
        #expect(packet.namespace == "/calls")
    }
}
