import NIOCore

/// A handle on one Engine.IO session: cheap to copy, usable from any thread (calls made off the
/// session's event loop hop onto it). Sends after the session closed are dropped.
public struct EngineIOConnection: Sendable, Hashable {
    let session: EngineIOSession

    /// The session id (`sid`).
    public var id: String { session.id }

    public var eventLoop: any EventLoop { session.eventLoop }

    /// Sends a text message.
    public func send(text: String) {
        var buffer = ByteBuffer(string: "4")
        buffer.writeString(text)
        send(packet: buffer)
    }

    /// Sends a binary message.
    public func send(binary: ByteBuffer) {
        onLoop { $0.send(.binary(binary)) }
    }

    /// Sends a complete Engine.IO text packet, type digit included (`4...` for a message). A
    /// buffer encoded once can go to many sessions without being copied.
    public func send(packet: ByteBuffer) {
        if session.eventLoop.inEventLoop {
            session.send(.text(packet))
        } else {
            onLoop { $0.send(.text(packet)) }
        }
    }

    /// Closes the session after what was already sent is delivered.
    public func close() {
        onLoop { $0.close() }
    }

    func onLoop(_ body: @escaping @Sendable (EngineIOSession) -> Void) {
        let session = self.session
        if session.eventLoop.inEventLoop {
            body(session)
        } else {
            session.eventLoop.execute { body(session) }
        }
    }

    public static func == (lhs: EngineIOConnection, rhs: EngineIOConnection) -> Bool { lhs.session === rhs.session }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(session)) }
}
