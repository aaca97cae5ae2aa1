import DialtoneProtocol
import Testing

@Suite("Engine.IO packets")
struct EngineIOPacketTests {
    @Test(arguments: [
        ("0{\"sid\":\"x\"}", EngineIOPacket.open("{\"sid\":\"x\"}")),
        ("1", .close),
        ("2", .ping("")),
        ("2probe", .ping("probe")),
        ("3", .pong("")),
        ("3probe", .pong("probe")),
        ("4", .message("")),
        ("4hello", .message("hello")),
        ("4€ and 😀", .message("€ and 😀")),
        ("5", .upgrade),
        ("6", .noop),
    ])
    func parsesAndEncodesEveryType(text: String, packet: EngineIOPacket) throws {
        #expect(try EngineIOPacket(text: text) == packet)
        #expect(packet.encodedText == text)
    }

    @Test(arguments: ["", "7", "9x", "abc", "b", "/", "1x", "5probe", "6 "])
    func refusesMalformedText(text: String) {
        #expect(throws: EngineIOError.self) { try EngineIOPacket(text: text) }
    }

    @Test func messageDataIsASliceOfTheFrame() throws {
        let frame = "4payload"
        guard case .message(let data) = try EngineIOPacket(text: frame) else {
            Issue.record("not a message")
            return
        }
        #expect(data.base == frame)
        #expect(data == "payload")
    }

    @Test func errorsDescribeThemselves() {
        #expect(EngineIOError.unknownPacketType(UInt8(ascii: "a")).description.contains("0x61"))
        #expect(EngineIOError.emptyPacket != EngineIOError.invalidBase64)
    }
}

@Suite("Engine.IO polling payloads")
struct EngineIOPayloadTests {
    @Test func decodesSeveralPacketsAndBinary() throws {
        let packets = try EngineIOPayload.decode("4hello\u{1e}bAQIDBA==\u{1e}2\u{1e}4")
        #expect(packets == [.message("hello"), .binary([1, 2, 3, 4]), .ping(""), .message("")])
    }

    @Test func encodesWithSeparatorsAndBase64() {
        let body = EngineIOPayload.encode([.message("test1"), .binary([1, 2, 3, 4]), .noop])
        #expect(body == "4test1\u{1e}bAQIDBA==\u{1e}6")
    }

    @Test func roundTrips() throws {
        let packets: [EngineIOPacket] = [.message("a\u{1f}b"), .binary([]), .binary([0xFF, 0, 7]), .pong(""), .close]
        #expect(try EngineIOPayload.decode(EngineIOPayload.encode(packets)) == packets)
    }

    @Test(arguments: [
        "", "4ok\u{1e}", "\u{1e}4ok", "4ok\u{1e}x", "bAQIDB", "b====", "bAQ=D", "b@@@@", "4a\u{1e}\u{1e}4b",
    ])
    func refusesMalformedPayloads(body: String) {
        #expect(throws: EngineIOError.self) { try EngineIOPayload.decode(body) }
    }
}

@Suite("Base64")
struct Base64Tests {
    @Test(arguments: [
        ([UInt8](), ""), ([0x66], "Zg=="), ([0x66, 0x6F], "Zm8="), ([0x66, 0x6F, 0x6F], "Zm9v"),
        ([0x66, 0x6F, 0x6F, 0x62, 0x61, 0x72], "Zm9vYmFy"), ([0xFB, 0xFF], "+/8="),
    ])
    func matchesRFC4648Vectors(bytes: [UInt8], text: String) {
        #expect(Base64.encode(bytes) == text)
        #expect(Base64.decode(text.utf8) == bytes)
    }

    @Test(arguments: ["Zg=", "Z===", "Zg==Zg==", "Zm9v!A==", "=Zg=", "Zg=a"])
    func refusesInvalidText(text: String) {
        #expect(Base64.decode(text.utf8) == nil)
    }

    @Test func roundTripsEveryByte() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Base64.decode(Base64.encode(bytes).utf8) == bytes)
    }
}

@Suite("Engine.IO handshake")
struct EngineIOHandshakeTests {
    @Test func writesTheReferenceServerFields() {
        let handshake = EngineIOHandshake(
            sid: "abc", upgrades: ["websocket"], pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200),
            maxPayload: 1_000_000)
        #expect(
            handshake.packetText
                == #"0{"sid":"abc","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}"#
        )
    }

    @Test func sessionIDsAreURLSafeAndDistinct() {
        let ids = (0..<100).map { _ in EngineIOSessionID.make() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.utf8.count == 20)
            #expect(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
    }
}
