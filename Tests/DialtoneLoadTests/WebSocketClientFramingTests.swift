import NIOCore
import Testing

@testable import DialtoneLoad

@Suite struct WebSocketClientFramingTests {
    @Test(arguments: [0, 5, 125, 126, 300, 65535, 65536])
    func maskedFrameUnmasksToThePayload(length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var buffer = ByteBuffer()
        WebSocketClientFraming.writeFrame(.text, payload: payload, into: &buffer)
        #expect(buffer.getInteger(at: 0, as: UInt8.self) == 0x81)
        #expect(buffer.getInteger(at: 1, as: UInt8.self)! & 0x80 == 0x80, "client frames must be masked")
        let frame = try #require(WebSocketClientFraming.readFrame(from: &buffer))
        #expect(frame.fin)
        #expect(frame.opcode == WebSocketClientFraming.Opcode.text.rawValue)
        #expect(Array(frame.payload.readableBytesView) == payload)
        #expect(buffer.readableBytes == 0)
    }

    @Test func incompleteFrameReadsNothing() {
        var whole = ByteBuffer()
        whole.writeBytes([0x81, 126, 0x01, 0x00] + [UInt8](repeating: 65, count: 255))
        var partial = whole
        #expect(WebSocketClientFraming.readFrame(from: &partial) == nil)
        #expect(partial.readableBytes == whole.readableBytes)
        whole.writeInteger(UInt8(66))
        let frame = WebSocketClientFraming.readFrame(from: &whole)
        #expect(frame?.payload.readableBytes == 256)
    }

    @Test func twoServerFramesInOneRead() throws {
        var buffer = ByteBuffer(bytes: [0x81, 2] + Array("40".utf8) + [0x89, 1, 0x2a])
        let first = try #require(WebSocketClientFraming.readFrame(from: &buffer))
        let second = try #require(WebSocketClientFraming.readFrame(from: &buffer))
        #expect(String(buffer: first.payload) == "40")
        #expect(second.opcode == WebSocketClientFraming.Opcode.ping.rawValue)
        #expect(Array(second.payload.readableBytesView) == [0x2a])
    }

    @Test func upgradeResponse() {
        var accepted = ByteBuffer(string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        let headLength = accepted.readableBytes
        accepted.writeInteger(UInt8(0x81))
        let result = WebSocketClientFraming.upgradeResponse(in: accepted)
        #expect(result?.switched == true)
        #expect(result?.headLength == headLength)
        let refused = ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
        #expect(WebSocketClientFraming.upgradeResponse(in: refused)?.switched == false)
        #expect(WebSocketClientFraming.upgradeResponse(in: ByteBuffer(string: "HTTP/1.1 101 Swi")) == nil)
    }
}
