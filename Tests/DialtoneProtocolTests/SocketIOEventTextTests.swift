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

    @Test("finds several members in one pass, the first of repeated ones, as written")
    func members() throws {
        let text = #"["relay",{"callId":"c1", "to" : null ,"candidate":{"a":[1,"}"]},"callId":"c2","n":-1.5e3},"x"]"#
        let found = try #require(SocketIOEventText.firstArgumentMembers(["n", "callId", "to", "candidate", "sdp"], in: text[...]))
        #expect(found == ["-1.5e3", #""c1""#, "null", #"{"a":[1,"}"]}"#, nil])
        // What lookups in the parsed object give.
        let parsed = try #require(try JSON(parsing: Array(text.utf8)).arrayValue?[1].objectValue)
        for (key, text) in zip(["n", "callId", "to", "candidate"], found) {
            #expect(try JSON(parsing: Array(try #require(text).utf8)) == parsed[key])
        }
    }

    @Test("refuses escaped keys before the members are found, and arguments that are no object")
    func membersRefused() throws {
        for text in [#"["e",{"a":1,"\u0062":2,"b":3}]"#, #"["e",[1]]"#, #"["e"]"#, #"["e","x"]"#, #"{"e":1}"#] {
            #expect(SocketIOEventText.firstArgumentMembers(["b"], in: text[...]) == nil, "\(text)")
        }
        #expect(try #require(SocketIOEventText.firstArgumentMembers(["b"], in: #"["e",{"b":3,"\u0062":2}]"#[...])) == ["3"])
        #expect(try #require(SocketIOEventText.firstArgumentMembers(["b"], in: #"["e",{}]"#[...])) == [nil])
    }

    @Test(
        "plain strings: not empty, no escapes",
        arguments: [(#""abc""#, "abc"), (#""é€""#, "é€"), (#""""#, nil), (#""a\"b""#, nil), ("12", nil), ("null", nil)]
            as [(String, String?)])
    func plainString(json: String, value: String?) {
        #expect(SocketIOEventText.plainString(json[...]) == value)
    }

    @Test(
        "the event name, escapes decoded",
        arguments: [
            (#"["ice_candidate",{}]"#, "ice_candidate"),
            (#" [ "a\"b\u00e9" ]"#, "a\"b\u{e9}"),
            (#"[""]"#, ""),
        ])
    func eventName(text: String, name: String) {
        #expect(SocketIOEventText.eventName(in: text[...]) == name)
    }

    @Test("no name where the data is no array starting with a string", arguments: [#"[1,"a"]"#, "[]", #""a""#, "{}"])
    func noEventName(text: String) {
        #expect(SocketIOEventText.eventName(in: text[...]) == nil)
    }

    /// Strings are skipped a word at a time: an escaped quote or a closing one at any offset must
    /// still be seen.
    @Test("string ends and escapes found at every offset")
    func stringsAtEveryOffset() throws {
        for offset in 0..<20 {
            let padding = String(repeating: "x", count: offset)
            let text = #"["e",{"a":"\#(padding)\"},\\","b":"\#(padding)","candidate":"\#(padding)"}]"#
            _ = try JSON(parsing: Array(text.utf8))
            #expect(SocketIOEventText.firstArgumentMember("candidate", in: text[...]) == "\"\(padding)\"", "\(offset)")
        }
    }
}
