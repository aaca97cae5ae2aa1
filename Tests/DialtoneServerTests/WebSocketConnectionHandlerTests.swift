import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import DialtoneServer

/// Found by the FuzzHTTP fuzzer: a `/ws` device refused while its receiver was being made closed
/// the connection before the receiver was attached, and the handler and receiver then kept each
/// other (and the device) alive for good.
@Suite("WebSocket connection handler")
struct WebSocketConnectionHandlerTests {
    final class Receiver: WebSocketFrameReceiver {
        var closedCodes: [WebSocketCloseCode?] = []
        func received(text: String) {}
        func received(binary: ByteBuffer) {}
        func closed(code: WebSocketCloseCode?) { closedCodes.append(code) }
        func shutdownRequested() {}
    }

    private func openChannel() throws -> (EmbeddedChannel, WebSocketConnectionHandler) {
        let handler = WebSocketConnectionHandler()
        let channel = EmbeddedChannel(handler: handler)
        _ = try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return (channel, handler)
    }

    @Test func aReceiverAttachedToAnOpenConnectionHearsOfItsCloseOnce() throws {
        let (channel, handler) = try openChannel()
        let receiver = Receiver()
        handler.attach(receiver)
        #expect(receiver.closedCodes.isEmpty)
        try channel.close().wait()
        #expect(receiver.closedCodes.count == 1)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    @Test func aReceiverAttachedAfterTheConnectionClosedIsToldAtOnceAndNotKept() throws {
        let (channel, handler) = try openChannel()
        try channel.close().wait()
        weak var released: Receiver?
        do {
            let receiver = Receiver()
            released = receiver
            handler.attach(receiver)
            #expect(receiver.closedCodes.count == 1)
        }
        #expect(released == nil, "the handler still holds the receiver of a closed connection")
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
