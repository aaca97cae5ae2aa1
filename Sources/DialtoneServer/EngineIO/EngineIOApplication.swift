import DialtoneProtocol
import NIOCore

/// What runs on top of an Engine.IO endpoint (Socket.IO, or the echo server of the test suite).
public protocol EngineIOApplication: Sendable {
    /// A session opened. Called on the session's event loop with the handshake request; the
    /// returned handler gets every message of the session, on that loop.
    func sessionOpened(_ connection: EngineIOConnection, request: HTTPRequest) -> any EngineIOSessionHandler
}

/// Receives the messages of one Engine.IO session, always on the session's event loop.
public protocol EngineIOSessionHandler: AnyObject {
    /// A text message (the Engine.IO `4` is already stripped).
    func received(text: Substring)
    func received(binary: ByteBuffer)
    /// The session ended; it is the last call.
    func closed(reason: EngineIOSessionStateMachine.CloseReason)
}
