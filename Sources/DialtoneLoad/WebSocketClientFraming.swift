import NIOCore

/// The client side of RFC 6455 framing, as small as a load generator needs: masked frames out,
/// unmasked server frames in. The mask key is fixed: it only has to be present, and the
/// server's unmasking work is the same for any key.
public enum WebSocketClientFraming {
    public enum Opcode: UInt8, Sendable {
        case continuation = 0x0
        case text = 0x1
        case binary = 0x2
        case close = 0x8
        case ping = 0x9
        case pong = 0xA
    }

    /// One frame read from the server.
    public struct Frame: Sendable {
        public var fin: Bool
        /// The raw opcode nibble: unknown ones are for the caller to refuse.
        public var opcode: UInt8
        public var payload: ByteBuffer
    }

    static let maskKey: (UInt8, UInt8, UInt8, UInt8) = (0x3a, 0x9c, 0x51, 0xe7)

    /// The upgrade request for `path` (e.g. `/socket.io/`): Engine.IO v4 straight on WebSocket.
    public static func upgradeRequest(path: String, host: String, port: Int) -> String {
        "GET \(path)?EIO=4&transport=websocket HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }

    /// Appends one final, masked frame carrying `payload`.
    public static func writeFrame(_ opcode: Opcode, payload: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        let length = payload.count
        buffer.writeInteger(0x80 | opcode.rawValue)
        if length < 126 {
            buffer.writeInteger(0x80 | UInt8(length))
        } else if length < 65536 {
            buffer.writeInteger(UInt8(0x80 | 126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(0x80 | 127))
            buffer.writeInteger(UInt64(length))
        }
        let key = maskKey
        buffer.writeMultipleIntegers(key.0, key.1, key.2, key.3)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { output in
            var position = 0
            for byte in payload {
                let keyByte: UInt8
                switch position & 3 {
                case 0: keyByte = key.0
                case 1: keyByte = key.1
                case 2: keyByte = key.2
                default: keyByte = key.3
                }
                output[position] = byte ^ keyByte
                position += 1
            }
            return length
        }
    }

    /// Where the HTTP response head ends in `buffer` and whether it switched protocols; nil
    /// while the head is incomplete.
    public static func upgradeResponse(in buffer: ByteBuffer) -> (headLength: Int, switched: Bool)? {
        buffer.withUnsafeReadableBytes { head -> (Int, Bool)? in
            guard let end = ByteSearch.firstOffset(of: [13, 10, 13, 10], in: head) else { return nil }
            // "HTTP/1.1 101 ...": the status code is the second word of the status line.
            let statusLine = head[..<end].prefix { $0 != 13 }
            let words = statusLine.split(separator: UInt8(ascii: " "))
            let switched = words.count >= 2 && words[1].elementsEqual("101".utf8)
            return (end + 4, switched)
        }
    }

    /// Reads one complete frame from `buffer`, or returns nil (reading nothing) while it is
    /// incomplete. A masked server frame is unmasked.
    public static func readFrame(from buffer: inout ByteBuffer) -> Frame? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)
        else { return nil }
        var headerLength = 2
        var length = UInt64(second & 0x7f)
        if length == 126 {
            guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self) else { return nil }
            length = UInt64(extended)
            headerLength = 4
        } else if length == 127 {
            guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt64.self) else { return nil }
            length = extended
            headerLength = 10
        }
        let masked = second & 0x80 != 0
        let keyOffset = headerLength
        if masked { headerLength += 4 }
        guard length <= UInt64(Int32.max), buffer.readableBytes >= headerLength + Int(length) else { return nil }
        var mask: [UInt8] = []
        if masked, let key = buffer.getBytes(at: buffer.readerIndex + keyOffset, length: 4) { mask = key }
        buffer.moveReaderIndex(forwardBy: headerLength)
        var payload = buffer.readSlice(length: Int(length))!
        if masked {
            let bytes = payload.readableBytesView.enumerated().map { $0.element ^ mask[$0.offset & 3] }
            payload = ByteBuffer(bytes: bytes)
        }
        return Frame(fin: first & 0x80 != 0, opcode: first & 0x0f, payload: payload)
    }
}
