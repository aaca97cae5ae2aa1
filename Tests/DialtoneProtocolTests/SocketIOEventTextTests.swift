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

    @Test("visits the first argument's members in order, as written")
    func members() {
        var seen: [String] = []
        let text = #"["relay",{"callId":"c1", "to" : null ,"candidate":{"a":[1,"}"]},"n":-1.5e3},"second"]"#
        let complete = SocketIOEventText.firstArgumentMembers(in: text[...]) { key, value in
            seen.append("\(key)=\(value)")
            return true
        }
        #expect(complete)
        #expect(seen == [#"callId="c1""#, "to=null", #"candidate={"a":[1,"}"]}"#, "n=-1.5e3"])
    }

    @Test("stops when asked; refuses escaped keys and arguments that are no object")
    func membersRefused() {
        var visits = 0
        #expect(
            SocketIOEventText.firstArgumentMembers(in: #"["e",{"a":1,"b":2}]"#[...]) { _, _ in
                visits += 1
                return false
            })
        #expect(visits == 1)
        for text in [#"["e",{"a":1,"\u0062":2}]"#, #"["e",[1]]"#, #"["e"]"#, #"["e","x"]"#, #"{"e":1}"#] {
            #expect(!SocketIOEventText.firstArgumentMembers(in: text[...]) { _, _ in true }, "\(text)")
        }
        #expect(SocketIOEventText.firstArgumentMembers(in: #"["e",{}]"#[...]) { _, _ in Issue.record(); return true })
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
}
