import NIOCore
import NIOWebSocket
import Testing

@testable import DialtoneServer

@Suite("WebSocket frame text")
struct WebSocketFrameTextTests {
    /// Every length around the 8-byte steps, multi-byte characters split across them (and cut).
    @Test("unmasking into the string gives what unmaskedData gives", arguments: 0..<40)
    func matchesUnmaskedData(length: Int) {
        let plain = String(
            decoding: Array("x\u{e9}\"{[\u{1F600}]}€".utf8 + Array(repeating: 0x61, count: 40)).prefix(length),
            as: UTF8.self)
        let key: WebSocketMaskingKey = [0x12, 0xA5, 0x00, 0xFF]
        var masked = ByteBuffer(string: plain)
        masked.webSocketMask(key)
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: key, data: masked)
        #expect(frame.unmaskedText == String(buffer: frame.unmaskedData))
        #expect(frame.unmaskedText == plain)
    }

    @Test("unmasked frames and malformed UTF-8 read as String(buffer:) reads them")
    func unmaskedAndMalformed() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x41, 0xFF, 0x22, 0x61, 0x62, 0x63, 0x64, 0x65]
        let plain = WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes))
        #expect(plain.unmaskedText == String(buffer: ByteBuffer(bytes: bytes)))
        let key: WebSocketMaskingKey = [1, 2, 3, 4]
        var masked = ByteBuffer(bytes: bytes)
        masked.webSocketMask(key)
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: key, data: masked)
        #expect(frame.unmaskedText == String(buffer: ByteBuffer(bytes: bytes)))
    }
}
