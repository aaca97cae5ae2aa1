import DialtoneJSON
import DialtoneProtocol
import NIOCore
import NIOHTTP1

/// The Socket.IO side of one Engine.IO session: its namespaces, their pending acks, a binary
/// packet waiting for attachments, and the connect timeout. Lives on the session's event loop.
final class SocketIOClient: EngineIOSessionHandler, @unchecked Sendable {
    // @unchecked: mutable state is only touched on the connection's event loop; handles reach it
    // through `onLoop`.

    private struct Membership {
        var socket: SocketIOSocket
        var handler: any SocketIONamespaceHandler
        var pendingAcks: [Int: @Sendable ([JSON]) -> Void] = [:]
        var nextAckID = 0
    }

    let connection: EngineIOConnection
    private let server: SocketIOServer.Shared
    private let query: HTTPQuery
    private let headers: HTTPHeaders
    private let remoteAddress: SocketAddress?
    private var memberships: [String: Membership] = [:]
    /// A binary packet and the attachments received for it so far (at most `maxPayload` bytes
    /// in all, so a client cannot make the server hold more than one message's worth).
    private var partial: (packet: SocketIOPacket, attachments: [[UInt8]], bytes: Int)?
    private var connectTimer: Scheduled<Void>?
    private var isClosed = false
    /// Where other loops queue frames for this client.
    private let inbox: SocketIOLoopInbox
    /// Frames waiting in `inbox` for this client, and whether they once reached the limit;
    /// guarded by the inbox's lock.
    var inboxQueued = 0
    var inboxOverflowed = false

    init(connection: EngineIOConnection, server: SocketIOServer.Shared, request: HTTPRequest) {
        self.connection = connection
        self.server = server
        self.query = request.query
        self.headers = request.headers
        self.remoteAddress = request.remoteAddress
        self.inbox = SocketIOLoopInbox.of(connection.eventLoop)
        connectTimer = connection.eventLoop.scheduleTask(in: server.configuration.connectTimeout.timeAmount) { [self] in
            if memberships.isEmpty { connection.close() }
        }
    }

    /// `4` + the packet text: a complete Engine.IO message.
    static func frame(_ packet: SocketIOPacket) -> ByteBuffer {
        var bytes: [UInt8] = [UInt8(ascii: "4")]
        packet.encode(into: &bytes)
        var frame = WebSocketConnection.frameBuffer(capacity: bytes.count)
        frame.writeBytes(bytes)
        return frame
    }

    private func onLoop(_ body: @escaping @Sendable (SocketIOClient) -> Void) {
        if connection.eventLoop.inEventLoop {
            body(self)
        } else {
            connection.eventLoop.execute { body(self) }
        }
    }

    // MARK: Sending

    func send(_ packet: SocketIOPacket, attachments: [[UInt8]]) {
        let frame = Self.frame(packet)
        if connection.eventLoop.inEventLoop {
            write(frame, attachments: attachments)
        } else {
            connection.eventLoop.execute { self.write(frame, attachments: attachments) }
        }
    }

    func send(_ frame: ByteBuffer, attachments: [[UInt8]], ifConnected socket: SocketIOSocket) {
        if connection.eventLoop.inEventLoop {
            deliver(frame, attachments: attachments, ifConnected: socket)
        } else if inbox.enqueue(frame, attachments: attachments, for: socket) == .overflowed {
            connection.session.server.logger.warning(
                "closing a Socket.IO connection whose event loop has too many frames waiting for it",
                metadata: [
                    "dialtone.engineio.sid": "\(connection.id)",
                    "dialtone.queued": "\(SocketIOLoopInbox.maxQueuedPerClient)",
                ])
            connection.close()
        }
    }

    /// On the loop: writes `frame` unless `socket` left its namespace meanwhile.
    func deliver(_ frame: ByteBuffer, attachments: [[UInt8]], ifConnected socket: SocketIOSocket) {
        guard socket.state.isMember else { return }
        write(frame, attachments: attachments)
    }

    private func write(_ frame: ByteBuffer, attachments: [[UInt8]]) {
        guard !isClosed else { return }
        connection.session.send(.text(frame))
        for attachment in attachments { connection.session.send(.binary(ByteBuffer(bytes: attachment))) }
    }

    func emitWithAck(
        _ event: String, _ arguments: [JSON], from socket: SocketIOSocket, ack: @escaping @Sendable ([JSON]) -> Void
    ) {
        onLoop { client in
            guard var membership = client.memberships[socket.namespace], membership.socket == socket else { return }
            let id = membership.nextAckID
            membership.nextAckID = id == Int(Int32.max) ? 0 : id + 1
            membership.pendingAcks[id] = ack
            client.memberships[socket.namespace] = membership
            client.write(
                Self.frame(SocketIOPacket.event(event, arguments, namespace: socket.namespace, ackID: id)),
                attachments: [])
        }
    }

    func disconnect(_ socket: SocketIOSocket, closingConnection: Bool) {
        onLoop { client in
            guard let membership = client.memberships[socket.namespace], membership.socket == socket else { return }
            client.memberships[socket.namespace] = nil
            socket.state.isMember = false
            client.write(Self.frame(SocketIOPacket(type: .disconnect, namespace: socket.namespace)), attachments: [])
            membership.handler.disconnected(socket, reason: .serverDisconnect)
            if closingConnection { client.connection.close() }
        }
    }

    // MARK: Receiving

    func received(text: Substring) {
        guard partial == nil else { return protocolError() }
        let incoming: SocketIOIncomingPacket
        do {
            incoming = try SocketIOIncomingPacket(text: text)
        } catch {
            return protocolError()
        }
        switch incoming {
        case .event(let packet):
            guard let membership = memberships[packet.namespace] else { return }
            let ack = packet.ackID.map { SocketIOAck(client: self, namespace: packet.namespace, id: $0) }
            membership.handler.received(SocketIOEvent(packet, ack: ack), from: membership.socket)
        case .other(let packet) where packet.type.isBinary && packet.attachmentCount > 0:
            partial = (packet, [], 0)
        case .other(let packet):
            dispatch(packet, attachments: [])
        }
    }

    func received(binary: ByteBuffer) {
        guard var partial else { return protocolError() }
        self.partial = nil
        partial.bytes += binary.readableBytes
        guard partial.bytes <= server.configuration.engine.maxPayload else { return protocolError() }
        partial.attachments.append(Array(binary.readableBytesView))
        if partial.attachments.count == partial.packet.attachmentCount {
            dispatch(partial.packet, attachments: partial.attachments)
        } else {
            self.partial = partial
        }
    }

    func closed(reason: EngineIOSessionStateMachine.CloseReason) {
        leaveAll(reason: .connectionClosed(reason))
    }

    private func protocolError() {
        leaveAll(reason: .parseError)
        connection.session.closeForProtocolError()
    }

    private func leaveAll(reason: SocketIODisconnectReason) {
        guard !isClosed else { return }
        isClosed = true
        connectTimer?.cancel()
        connectTimer = nil
        partial = nil
        let memberships = self.memberships
        self.memberships = [:]
        for membership in memberships.values {
            membership.socket.state.isMember = false
            membership.handler.disconnected(membership.socket, reason: reason)
        }
    }

    /// Packets other than plain EVENTs, which `received(text:)` hands over as text.
    private func dispatch(_ packet: SocketIOPacket, attachments: [[UInt8]]) {
        // Placeholders must name attachments that came, as the reference parser insists.
        if packet.type.isBinary, let data = packet.data,
            (try? SocketIOValue.reconstruct(data, attachments: attachments)) == nil
        {
            return protocolError()
        }
        switch packet.type {
        case .connect:
            connect(packet)
        case .disconnect:
            guard let membership = memberships.removeValue(forKey: packet.namespace) else { return }
            membership.socket.state.isMember = false
            membership.handler.disconnected(membership.socket, reason: .clientDisconnect)
        case .event, .binaryEvent:
            guard let membership = memberships[packet.namespace], let (name, arguments) = packet.event else { return }
            let ack = packet.ackID.map { SocketIOAck(client: self, namespace: packet.namespace, id: $0) }
            let event = SocketIOEvent(name: name, arguments: arguments, attachments: attachments, ack: ack)
            membership.handler.received(event, from: membership.socket)
        case .ack, .binaryAck:
            guard let id = packet.ackID,
                let callback = memberships[packet.namespace]?.pendingAcks.removeValue(forKey: id)
            else {
                return
            }
            // Binary answers keep their placeholders: a JSON callback cannot hold bytes.
            let arguments = packet.data?.arrayValue ?? []
            callback(arguments)
        case .connectError:
            protocolError()
        }
    }

    private func connect(_ packet: SocketIOPacket) {
        let namespace = packet.namespace
        guard memberships[namespace] == nil else { return }
        guard let handler = server.handler(for: namespace) else {
            write(
                Self.frame(
                    SocketIOPacket(type: .connectError, namespace: namespace, data: ["message": "Invalid namespace"])),
                attachments: [])
            return
        }
        let handshake = SocketIOHandshake(
            namespace: namespace, auth: packet.data ?? [:], query: query, headers: headers,
            remoteAddress: remoteAddress, engineSessionID: connection.id)
        switch handler.authorize(handshake) {
        case .reject(let data):
            write(Self.frame(SocketIOPacket(type: .connectError, namespace: namespace, data: data)), attachments: [])
        case .accept:
            let socket = SocketIOSocket(state: .init(id: EngineIOSessionID.make(), handshake: handshake, client: self))
            memberships[namespace] = Membership(socket: socket, handler: handler)
            socket.state.isMember = true
            connectTimer?.cancel()
            connectTimer = nil
            write(
                Self.frame(SocketIOPacket(type: .connect, namespace: namespace, data: ["sid": .string(socket.id)])),
                attachments: [])
            handler.connected(socket)
        }
    }
}
