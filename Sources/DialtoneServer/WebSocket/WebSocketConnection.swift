import NIOCore
import NIOWebSocket

/// The sending side of one WebSocket connection: cheap to copy and safe to use from any thread
/// (from elsewhere than the connection's event loop, each call hops onto it).
///
/// Writes go to the socket's bounded buffer. A peer that stops reading until that buffer passes
/// its high watermark is dropped (closed with 1008) instead of being buffered for without bound.
public struct WebSocketConnection: Sendable {
    let handler: NIOLoopBound<WebSocketConnectionHandler>

    public var eventLoop: any EventLoop { handler.eventLoop }

    /// The most a server's WebSocket frame header takes (no mask). A message whose buffer has
    /// that much room before its bytes gets its header written in place by the encoder, and goes
    /// out as one buffer instead of two.
    static let headerRoom = 10

    /// An empty buffer for a message of up to `capacity` bytes, with the header's room in front.
    static func frameBuffer(capacity: Int) -> ByteBuffer {
        var frame = ByteBufferAllocator().buffer(capacity: headerRoom + capacity)
        frame.moveWriterIndex(forwardBy: headerRoom)
        frame.moveReaderIndex(forwardBy: headerRoom)
        return frame
    }

    /// Sends one text message.
    public func send(text: String) {
        var buffer = Self.frameBuffer(capacity: text.utf8.count)
        buffer.writeString(text)
        send(.text, buffer)
    }

    /// Sends one text message whose UTF-8 bytes are already in a buffer (shareable between
    /// connections without copying).
    public func send(textBuffer: ByteBuffer) {
        send(.text, textBuffer)
    }

    /// Sends one binary message.
    public func send(binary: ByteBuffer) {
        send(.binary, binary)
    }

    /// Sends a close frame and closes the connection once it is written.
    public func close(code: WebSocketErrorCode = .normalClosure, reason: String = "") {
        let handler = self.handler
        if handler.eventLoop.inEventLoop {
            handler.value.close(code: code, reason: reason)
        } else {
            handler.eventLoop.execute { handler.value.close(code: code, reason: reason) }
        }
    }

    private func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        let handler = self.handler
        if handler.eventLoop.inEventLoop {
            handler.value.send(opcode, data)
        } else {
            handler.eventLoop.execute { handler.value.send(opcode, data) }
        }
    }
}
