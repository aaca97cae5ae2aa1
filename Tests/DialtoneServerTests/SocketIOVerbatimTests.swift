import DialtoneCore
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

    @Test(
        "a relayed message is the envelope around the body's text, escapes and namespaces included",
        arguments: [("c1", "alice", "/"), ("c\"1", "al\\ice", "/"), ("é€", "\u{1}bob", "/"), ("c1", "alice", "/calls")])
    func relayMessage(callId: String, from: String, namespace: String) throws {
        let body = #"{"candidate":"a b","sdpMid":"0","n":1.50}"#
        for kind in RelayKind.allCases {
            let message = RelayMessage(
                kind: kind, callId: callId, from: from, body: VerbatimMember(key: kind.bodyKey, text: body[...]))
            let packet = message.socketIOPacket(namespace: namespace)
            let prefix = namespace == "/" ? "42" : "42\(namespace),"
            let expected =
                prefix + "[" + JSON.string(kind.event).serialized() + #",{"callId":"# + JSON.string(callId).serialized()
                + #","from":"# + JSON.string(from).serialized() + #","\#(kind.bodyKey)":"# + body + "}]"
            #expect(String(buffer: packet.frame) == expected)
            #expect(packet.namespace == namespace)
            // Room for the WebSocket header in front, so it goes out as one buffer.
            #expect(packet.frame.readerIndex >= WebSocketConnection.headerRoom)
        }
    }
}
