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

    // The direct calls spare the closure of a hop when the socket and the session share a loop,
    // which is every message of a session that opened on WebSocket.
    func received(text: String) {
        if session.eventLoop.inEventLoop {
            session.webSocketReceived(text: text, from: self)
        } else {
            session.eventLoop.execute { self.session.webSocketReceived(text: text, from: self) }
        }
    }

    func received(binary: ByteBuffer) {
        if session.eventLoop.inEventLoop {
            session.webSocketReceived(binary: binary, from: self)
        } else {
            session.eventLoop.execute { self.session.webSocketReceived(binary: binary, from: self) }
        }
    }

    func closed(code: WebSocketCloseCode?) {
        session.onLoop { $0.webSocketClosed(self) }
    }

    /// The endpoint closes its sessions itself during a shutdown, with a proper Engine.IO close.
    func shutdownRequested() {}
}
