import DialtoneJSON
import Testing

@Suite struct JSONSerializationTests {
    static let compactTexts = [
        #"{"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS stream\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:+/Xy\r\na=fingerprint:sha-256 AB:CD\r\n"}"#,
        #"{"candidate":"candidate:842163049 1 udp 1677729535 192.0.2.10 51234 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sKhR network-cost 999","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":null}"#,
        #"{"candidate":""}"#,
        #"{"name":"Zoë 日本 😀","quote":"say \"hi\"\\now","ctl":"\u0000\u001f\b\f\t","#
            + "\"del\":\"\u{7F}\",\"ls\":\"\u{2028}\"}",
        #"[1.50,-0,1E+2,123456789012345678901234567890,[],{},[{}],"",true,false,null]"#,
        #"{"b":1,"a":2,"b":3}"#,
        "\"\u{7F}\"",
    ]

    @Test(arguments: compactTexts)
    func compactTextRoundTripsByteForByte(_ text: String) throws {
        let value = try JSON(parsing: text)
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        #expect(bytes == Array(text.utf8))
        #expect(value.serialized() == text)
    }

    @Test func writesCompactlyWhateverTheInputSpacing() throws {
        let value = try JSON(parsing: " {\n  \"a\" : [ 1 , 2 ] ,\t\"b\" : { } \r\n} ")
        #expect(value.serialized() == #"{"a":[1,2],"b":{}}"#)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let value = JSON.string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1}\u{1F} é€😀\u{7F}")
        #expect(value.serialized() == #""\"\\/\b\f\n\r\t\u0000\u0001\u001f é€😀"# + "\u{7F}\"")
    }

    @Test func writesUnnecessaryEscapesInTheirShortestForm() throws {
        #expect(try JSON(parsing: #""\u0041\/\u00e9""#).serialized() == "\"A/é\"")
    }

    @Test func escapesKeys() {
        let value: JSON = ["line\nbreak \"quoted\"": 1]
        #expect(value.serialized() == #"{"line\nbreak \"quoted\"":1}"#)
    }

    @Test func writesBuiltValuesInStoredOrder() {
        var object = JSONObject()
        object["z"] = 1
        object["a"] = [true, nil, "s", 2.5]
        object["z"] = "replaced"
        #expect(JSON.object(object).serialized() == #"{"z":"replaced","a":[true,null,"s",2.5]}"#)
        #expect("\(JSON.object(object))" == JSON.object(object).serialized())
    }

    @Test func appendsToExistingBytesAndOtherCollections() {
        var bytes = Array("prefix:".utf8)
        JSON.array([1, "x"]).write(into: &bytes)
        #expect(bytes == Array(#"prefix:[1,"x"]"#.utf8))
        var slice: ArraySlice<UInt8> = [0x2A]
        JSON.null.write(into: &slice)
        #expect(Array(slice) == Array("*null".utf8))
    }
}
