import DialtoneJSON
import DialtoneProtocol
import Testing

@Suite("Socket.IO packets")
struct SocketIOPacketTests {
    @Test(arguments: [
        ("0", SocketIOPacket(type: .connect)),
        ("0{\"token\":\"123\"}", SocketIOPacket(type: .connect, data: ["token": "123"])),
        ("0/admin,", SocketIOPacket(type: .connect, namespace: "/admin")),
        ("0/admin,{\"sid\":\"abc\"}", SocketIOPacket(type: .connect, namespace: "/admin", data: ["sid": "abc"])),
        ("1", SocketIOPacket(type: .disconnect)),
        ("1/admin,", SocketIOPacket(type: .disconnect, namespace: "/admin")),
        ("2[\"hello\",1]", SocketIOPacket.event("hello", [1])),
        (
            "2/admin,456[\"project:delete\",123]",
            SocketIOPacket.event("project:delete", [123], namespace: "/admin", ackID: 456)
        ),
        ("3/admin,456[]", SocketIOPacket.ack(456, [], namespace: "/admin")),
        ("4{\"message\":\"Not authorized\"}", SocketIOPacket(type: .connectError, data: ["message": "Not authorized"])),
        (
            "51-[\"hello\",{\"_placeholder\":true,\"num\":0}]",
            SocketIOPacket.event("hello", [["_placeholder": true, "num": 0]], attachmentCount: 1)
        ),
        (
            "61-/admin,456[{\"_placeholder\":true,\"num\":0}]",
            SocketIOPacket.ack(456, [["_placeholder": true, "num": 0]], namespace: "/admin", attachmentCount: 1)
        ),
    ])
    func parsesAndEncodesTheSpecificationExamples(text: String, packet: SocketIOPacket) throws {
        #expect(try SocketIOPacket(text: text) == packet)
        #expect(packet.encodedText == text)
    }

    @Test func aNamespaceWithoutCommaRunsToTheEnd() throws {
        #expect(try SocketIOPacket(text: "0/random") == SocketIOPacket(type: .connect, namespace: "/random"))
        #expect(try SocketIOPacket(text: "1/custom") == SocketIOPacket(type: .disconnect, namespace: "/custom"))
    }

    @Test func numbersAndKeyOrderSurviveARoundTrip() throws {
        let text = #"2["offer",{"z":1.50,"a":12345678901234567890,"sdp":"v=0\r\n"}]"#
        #expect(try SocketIOPacket(text: text).encodedText == text)
    }

    @Test func encodingAppendsToAnEngineIOPrefix() {
        var bytes: [UInt8] = [UInt8(ascii: "4")]
        SocketIOPacket.event("auth", [[:]], namespace: "/custom").encode(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"42/custom,["auth",{}]"#)
    }

    @Test func eventGivesNameAndArguments() throws {
        let packet = try SocketIOPacket(text: #"2["message",1,"2",{"3":[true]}]"#)
        let event = try #require(packet.event)
        #expect(event.name == "message")
        #expect(Array(event.arguments) == [1, "2", ["3": [true]]])
        #expect(SocketIOPacket.ack(1, []).event == nil)
    }

    @Test(arguments: [
        "",  // empty
        "abc",  // unknown type
        "7",  // unknown type
        "9[]",  // unknown type
        "2{}",  // event data not an array
        "2[]",  // event without a name
        "2[1]",  // event name not a string
        "2",  // event without data
        "2abc[\"message\"]",  // ack id not a number
        "2[\"message\"",  // invalid JSON
        "2[\"message\"]x",  // trailing characters
        "3[]",  // ack without an id
        "31{}",  // ack data not an array
        "0[]",  // connect data not an object
        "0\"x\"",  // connect data not an object
        "1{}",  // disconnect with data
        "4",  // connect error without data
        "41",  // connect error data a number
        "5[\"x\"]",  // binary event without attachment count
        "5-[\"x\"]",  // attachment count without digits
        "51[\"x\"]",  // attachment count without dash
        "5999-[\"x\"]",  // too many attachments
        "299999999999[\"x\"]",  // ack id out of range
    ])
    func refusesMalformedPackets(text: String) {
        #expect(throws: SocketIOError.self) { try SocketIOPacket(text: text) }
    }

    @Test func refusesDeeplyNestedData() {
        let text = "2[\"x\"," + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "]"
        #expect(throws: SocketIOError.self) { try SocketIOPacket(text: text) }
    }
}

@Suite("Socket.IO binary placeholders")
struct SocketIOValueTests {
    @Test func reconstructsPlaceholdersAnywhere() throws {
        let json: JSON = [
            "a": ["_placeholder": true, "num": 1], "list": [1, ["_placeholder": true, "num": 0]], "plain": "x",
        ]
        let value = try SocketIOValue.reconstruct(json, attachments: [[1, 2], [3]])
        #expect(
            value
                == .object([
                    .init(key: "a", value: .binary([3])),
                    .init(key: "list", value: .array([.json(1), .binary([1, 2])])),
                    .init(key: "plain", value: .json("x")),
                ]))
    }

    @Test func leavesJSONWithoutPlaceholdersAsIs() throws {
        let json: JSON = ["a": [1, 2, ["b": nil]]]
        #expect(try SocketIOValue.reconstruct(json, attachments: []) == .json(json))
    }

    @Test(arguments: [
        ["_placeholder": true, "num": 2] as JSON,
        ["_placeholder": true, "num": -1],
        ["_placeholder": true, "num": "0"],
        ["_placeholder": true],
    ])
    func refusesPlaceholdersNamingNoAttachment(json: JSON) {
        #expect(throws: SocketIOError.self) { try SocketIOValue.reconstruct(json, attachments: [[1], [2]]) }
    }

    @Test func deconstructsInOrderAndRoundTrips() throws {
        let value = SocketIOValue.array([.binary([9]), .object([.init(key: "k", value: .binary([8, 7]))]), .json("s")])
        var attachments: [[UInt8]] = []
        let json = value.deconstruct(attachments: &attachments)
        #expect(json == [["_placeholder": true, "num": 0], ["k": ["_placeholder": true, "num": 1]], "s"])
        #expect(attachments == [[9], [8, 7]])
        #expect(try SocketIOValue.reconstruct(json, attachments: attachments) == value)
    }
}
