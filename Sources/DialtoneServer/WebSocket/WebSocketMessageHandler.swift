import NIOCore

/// Receives the messages of one WebSocket connection, always on that connection's event loop.
public protocol WebSocketMessageHandler: AnyObject {
    /// A complete text message (fragments already joined).
    func received(text: String)
    /// The connection is closed; nothing more arrives and sends are dropped.
    func closed(code: WebSocketCloseCode?)
}

/// The close code of a connection, when the peer sent one.
public typealias WebSocketCloseCode = Int

/// Makes the handler of each new connection on a WebSocket route, on that connection's event
/// loop, right after the upgrade. The request is the upgrade request (its headers and query
/// carry the client's credentials).
public typealias WebSocketHandlerFactory = @Sendable (HTTPRequest, WebSocketConnection) -> any WebSocketMessageHandler

/// What the Engine.IO transport and the plain routes both plug into the connection handler.
protocol WebSocketFrameReceiver: AnyObject {
    func received(text: String)
    func received(binary: ByteBuffer)
    func closed(code: WebSocketCloseCode?)
    /// The server is shutting down: close (now or once the layer above has said goodbye).
    func shutdownRequested()
}

/// Adapts a public ``WebSocketMessageHandler`` to the connection handler.
final class WebSocketRouteReceiver: WebSocketFrameReceiver {
    private let handler: any WebSocketMessageHandler
    private let connection: WebSocketConnection

    init(handler: any WebSocketMessageHandler, connection: WebSocketConnection) {
        self.handler = handler
        self.connection = connection
    }

    func received(text: String) {
        handler.received(text: text)
    }

    /// Plain WebSocket routes speak text only (JSON-RPC): binary data is refused with 1003.
    func received(binary: ByteBuffer) {
        connection.close(code: .unacceptableData, reason: "binary messages are not supported")
    }

    func closed(code: WebSocketCloseCode?) {
        handler.closed(code: code)
    }

    func shutdownRequested() {
        connection.close(code: .goingAway, reason: "server shutting down")
    }
}
