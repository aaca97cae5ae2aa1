import DialtoneJSON
import DialtoneProtocol
import NIOCore

/// A client's membership of one namespace: the handle the application keeps to emit to it and
/// to disconnect it. One pointer wide, Sendable, usable from any thread: off the connection's
/// event loop each call hops onto it. Calls after the socket left are dropped.
public struct SocketIOSocket: Sendable, Hashable {
    final class State: @unchecked Sendable {
        // @unchecked: the vars are only touched on the client's event loop.
        let id: String
        let handshake: SocketIOHandshake
        let client: SocketIOClient
        /// Whether the socket is still in its namespace: checked on every send, so kept here
        /// rather than found by namespace in the client's memberships.
        var isMember = false
        var userInfo: (any AnyObject & Sendable)?

        init(id: String, handshake: SocketIOHandshake, client: SocketIOClient) {
            self.id = id
            self.handshake = handshake
            self.client = client
        }
    }

    let state: State

    /// The socket id sent to the client in the CONNECT answer.
    public var id: String { state.id }
    public var namespace: String { state.handshake.namespace }
    public var handshake: SocketIOHandshake { state.handshake }
    public var eventLoop: any EventLoop { state.client.connection.eventLoop }

    /// What the namespace handler keeps with the socket (such as the id its application gave the
    /// client), so that it needs no table of its own, and no lock, to find it per event. Use it
    /// on the socket's event loop only, where the handler's calls arrive. An object, because it
    /// is read on every event: casting it back is a class check, not an existential cast.
    public var userInfo: (any AnyObject & Sendable)? {
        get {
            eventLoop.assertInEventLoop()
            return state.userInfo
        }
        nonmutating set {
            eventLoop.assertInEventLoop()
            state.userInfo = newValue
        }
    }

    /// Emits `event` with JSON arguments. The packet is encoded here, once.
    public func emit(_ event: String, _ arguments: [JSON]) {
        send(SocketIOEncodedPacket(event: event, arguments: arguments, namespace: namespace))
    }

    /// Emits a packet encoded beforehand (to send the same event to many sockets of one
    /// namespace without encoding it again).
    public func send(_ packet: SocketIOEncodedPacket) {
        precondition(packet.namespace == namespace, "packet encoded for \(packet.namespace), socket is in \(namespace)")
        state.client.send(packet.frame, attachments: [], ifConnected: self)
    }

    /// Emits `event` with arguments that may contain binary data.
    public func emit(_ event: String, values: [SocketIOValue]) {
        var attachments: [[UInt8]] = []
        let arguments = values.map { $0.deconstruct(attachments: &attachments) }
        let packet = SocketIOPacket.event(event, arguments, namespace: namespace, attachmentCount: attachments.count)
        state.client.send(SocketIOClient.frame(packet), attachments: attachments, ifConnected: self)
    }

    /// Emits `event` and calls `ack` with the client's answer, on the connection's event loop.
    /// If the socket leaves first, `ack` is never called.
    public func emit(_ event: String, _ arguments: [JSON], ack: @escaping @Sendable ([JSON]) -> Void) {
        state.client.emitWithAck(event, arguments, from: self, ack: ack)
    }

    /// Makes the socket leave its namespace (the client gets DISCONNECT and does not reconnect
    /// by itself); with `closingConnection`, closes the whole connection too.
    public func disconnect(closingConnection: Bool = false) {
        state.client.disconnect(self, closingConnection: closingConnection)
    }

    public static func == (lhs: SocketIOSocket, rhs: SocketIOSocket) -> Bool { lhs.state === rhs.state }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(state)) }
}

/// An event encoded once, to send to any number of sockets of its namespace.
public struct SocketIOEncodedPacket: Sendable {
    let frame: ByteBuffer
    public let namespace: String

    public init(event: String, arguments: [JSON], namespace: String = "/") {
        self.namespace = namespace
        self.frame = SocketIOClient.frame(SocketIOPacket.event(event, arguments, namespace: namespace))
    }

    /// `frame` is a complete Engine.IO message: `4`, then the packet's text.
    init(frame: ByteBuffer, namespace: String) {
        self.frame = frame
        self.namespace = namespace
    }
}
