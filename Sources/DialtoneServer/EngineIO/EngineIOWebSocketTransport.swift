import NIOCore

/// A WebSocket carrying (or probing to carry) one Engine.IO session. Frames arrive on the
/// connection's event loop and are handed to the session on its own loop.
final class EngineIOWebSocketTransport: WebSocketFrameReceiver, @unchecked Sendable {
    // @unchecked: the only state is immutable; the class is shared so the session can tell
    // its transports apart by identity.
    let session: EngineIOSession
    let connection: WebSocketConnection

    init(session: EngineIOSession, connection: WebSocketConnection) {
        self.session = session
        self.connection = connection
    }

    func received(text: ByteBuffer) {
        let text = String(buffer: text)
        session.onLoop { $0.webSocketReceived(text: text, from: self) }
    }

    func received(binary: ByteBuffer) {
        session.onLoop { $0.webSocketReceived(binary: binary, from: self) }
    }

    func closed(code: WebSocketCloseCode?) {
        session.onLoop { $0.webSocketClosed(self) }
    }
}
