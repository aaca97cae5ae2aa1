import DialtoneProtocol
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One Engine.IO session. All of its state lives on `eventLoop` (the loop of the connection
/// that opened it); everything else reaches it through ``onLoop(_:)``. It runs
/// ``EngineIOSessionStateMachine`` and carries out the actions it returns.
final class EngineIOSession: LoopTimerWheelMember, @unchecked Sendable {
    // @unchecked: mutable state is only touched on `eventLoop`. The members are internal, not
    // private, for the transport extensions in EngineIOSession+Polling/+WebSocket.swift.

    enum Outbound {
        /// A complete text packet, type digit included.
        case text(ByteBuffer)
        case binary(ByteBuffer)

        var byteCount: Int {
            switch self {
            case .text(let buffer), .binary(let buffer): buffer.readableBytes
            }
        }
    }

    let id: String
    let eventLoop: any EventLoop
    let server: EngineIOServer
    var machine: EngineIOSessionStateMachine
    var handler: (any EngineIOSessionHandler)?
    var pollBuffer: [Outbound] = []
    var pollBufferBytes = 0
    var parkedPoll: HTTPResponder?
    /// Tells a parked poll's abort from that of an earlier poll answered since.
    var parkedPollGeneration = 0
    var webSocket: EngineIOWebSocketTransport?
    var probe: EngineIOWebSocketTransport?
    /// The deadlines of this loop's sessions; the session's place in them is `wheelPosition`.
    let timers: LoopTimerWheel<EngineIOSession>
    var wheelPosition: TimerWheelPosition?
    var finished = false

    init(server: EngineIOServer, transport: EngineIOSessionStateMachine.Transport, eventLoop: any EventLoop) {
        self.id = EngineIOSessionID.make()
        self.server = server
        self.eventLoop = eventLoop
        self.timers = server.timers(for: eventLoop)
        self.machine = EngineIOSessionStateMachine(
            transport: transport,
            pingInterval: server.configuration.pingInterval,
            pingTimeout: server.configuration.pingTimeout,
            upgradeTimeout: server.configuration.upgradeTimeout,
            closeTimeout: server.configuration.pingTimeout,
            now: Self.now())
    }

    /// Shared by every ping: a buffer nobody writes to needs no copy per session.
    static let pingPacket = ByteBuffer(string: "2")

    /// Monotonic time as the state machine takes it.
    static func now() -> Duration {
        .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds))
    }

    func onLoop(_ body: @escaping @Sendable (EngineIOSession) -> Void) {
        if eventLoop.inEventLoop {
            body(self)
        } else {
            eventLoop.execute { body(self) }
        }
    }

    var connection: EngineIOConnection { EngineIOConnection(session: self) }

    func handshake(upgrades: [String]) -> ByteBuffer {
        let handshake = EngineIOHandshake(
            sid: id, upgrades: upgrades, pingInterval: server.configuration.pingInterval,
            pingTimeout: server.configuration.pingTimeout, maxPayload: server.configuration.maxPayload)
        return ByteBuffer(string: handshake.packetText)
    }

    /// Opens a polling session: the handshake answers the first GET.
    func open(request: HTTPRequest, handshakeResponder: HTTPResponder) {
        eventLoop.preconditionInEventLoop()
        let upgrades = server.configuration.allowUpgrades ? ["websocket"] : []
        respond(handshakeResponder, packets: [.text(handshake(upgrades: upgrades))], request: request)
        handler = server.application.sessionOpened(connection, request: Self.keepable(request))
        server.logger.debug(
            "Engine.IO session opened",
            metadata: ["dialtone.engineio.sid": "\(id)", "dialtone.engineio.transport": "polling"])
        rescheduleTimer()
    }

    /// Opens a WebSocket session: the handshake is its first message.
    func open(request: HTTPRequest, webSocket transport: EngineIOWebSocketTransport) {
        eventLoop.preconditionInEventLoop()
        webSocket = transport
        transport.connection.send(textBuffer: handshake(upgrades: []))
        handler = server.application.sessionOpened(connection, request: Self.keepable(request))
        server.logger.debug(
            "Engine.IO session opened",
            metadata: ["dialtone.engineio.sid": "\(id)", "dialtone.engineio.transport": "websocket"])
        rescheduleTimer()
    }

    /// The handshake request as an application may keep it for the session's life (Socket.IO
    /// gives its headers to every namespace a client joins): the headers copied into storage of
    /// their own size. NIO's decoder hands over an array reserved for many headers, 544 bytes
    /// however few were sent, which every idle connection would otherwise hold.
    static func keepable(_ request: HTTPRequest) -> HTTPRequest {
        var request = request
        request.head.headers = HTTPHeaders(request.headers.map { ($0.name, $0.value) })
        return request
    }

    // MARK: Sending

    func send(_ packet: Outbound) {
        eventLoop.assertInEventLoop()
        guard !machine.isClosed else { return }
        switch machine.transport {
        case .webSocket:
            write(packet, to: webSocket)
        case .polling:
            pollBuffer.append(packet)
            pollBufferBytes += packet.byteCount
            if pollBufferBytes > server.configuration.maxPollingBuffer {
                closeNow(machine.transportFailed(.transportError))
            } else if let poll = parkedPoll {
                parkedPoll = nil
                machine.parkedPollAnswered()
                respondWithBuffer(poll)
            }
        }
    }

    func write(_ packet: Outbound, to transport: EngineIOWebSocketTransport?) {
        switch packet {
        case .text(let buffer): transport?.connection.send(textBuffer: buffer)
        case .binary(let buffer): transport?.connection.send(binary: buffer)
        }
    }

    /// The application closes the session.
    func close() {
        eventLoop.preconditionInEventLoop()
        switch machine.close(hasBufferedPackets: !pollBuffer.isEmpty, now: Self.now()) {
        case .none:
            return
        case .respondToParkedPoll:
            if let poll = parkedPoll {
                parkedPoll = nil
                respondWithBuffer(poll, closing: true)
            }
        case .drainThenClose:
            // Stays registered until the client's next poll collects the buffer.
            notifyClosed(.serverClosed)
            rescheduleTimer()
            return
        case .closeTransport:
            break
        }
        finish(.serverClosed)
    }

    /// The application found the session's messages malformed (for instance a bad Socket.IO packet).
    func closeForProtocolError() {
        eventLoop.preconditionInEventLoop()
        closeNow(machine.parseFailed())
    }

    // MARK: Actions

    func perform(
        _ action: EngineIOSessionStateMachine.PacketAction, for packet: EngineIOPacket,
        from transport: EngineIOWebSocketTransport?
    ) {
        switch action {
        case .none:
            break
        case .deliver:
            switch packet {
            case .message(let text): handler?.received(text: text)
            case .binary(let bytes): handler?.received(binary: ByteBuffer(bytes: bytes))
            default: break
            }
        case .acknowledgeProbe:
            probe?.connection.send(text: "3probe")
        case .completeUpgrade(let rejectParkedPoll):
            if rejectParkedPoll, let poll = parkedPoll {
                parkedPoll = nil
                poll.respond(server.errorResponse(.badRequest, nil))
            }
            webSocket = probe
            probe = nil
            server.upgraded(self)
            for packet in pollBuffer { write(packet, to: webSocket) }
            pollBuffer = []
            pollBufferBytes = 0
        case .abortProbe:
            abortProbe()
        case .close(let reason):
            if reason == .clientClosed, let poll = parkedPoll {
                parkedPoll = nil
                respond(poll, packets: [.text(ByteBuffer(string: "6"))])
            }
            finish(reason)
        }
    }

    func answerParkedPollWithNoop() {
        guard let poll = parkedPoll else { return }
        parkedPoll = nil
        respond(poll, packets: [.text(ByteBuffer(string: "6"))])
    }

    func closeNow(_ reason: EngineIOSessionStateMachine.CloseReason?) {
        guard let reason else { return }
        finish(reason)
    }

    // MARK: Timer

    /// Arms the session's next deadline on its loop's timer wheel (moving it if it changed).
    func rescheduleTimer() {
        guard !finished else { return }
        timers.arm(self, at: .uptimeNanoseconds(UInt64(clamping: machine.nextDeadline.nanoseconds)))
    }

    /// Acts on deadlines that passed but whose timer has not run yet, so that a request arriving
    /// just after a ping timeout sees the session as closed, as the protocol says it is.
    func applyDueDeadlines() {
        guard !finished, machine.nextDeadline <= Self.now() else { return }
        deadlineReached()
    }

    /// A deadline passed (or may have: the machine acts only on what is due).
    func deadlineReached() {
        guard !finished else { return }
        let outcome = machine.timerFired(now: Self.now())
        if outcome.abortProbe {
            probe?.connection.close(code: .policyViolation, reason: "upgrade timeout")
            probe = nil
        }
        if outcome.answerParkedPollWithNoop { answerParkedPollWithNoop() }
        if outcome.sendPing { send(.text(Self.pingPacket)) }
        if let reason = outcome.close {
            finish(reason)
            return
        }
        rescheduleTimer()
    }

    // MARK: Ending

    func notifyClosed(_ reason: EngineIOSessionStateMachine.CloseReason) {
        let handler = self.handler
        self.handler = nil
        handler?.closed(reason: reason)
    }

    /// Releases everything: the registry entry, the timer, the transports, the buffer.
    func finish(_ reason: EngineIOSessionStateMachine.CloseReason) {
        guard !finished else { return }
        finished = true
        server.logger.debug(
            "Engine.IO session closed",
            metadata: ["dialtone.engineio.sid": "\(id)", "dialtone.engineio.reason": "\(reason)"])
        timers.disarm(self)
        server.unregister(self)
        if let poll = parkedPoll {
            parkedPoll = nil
            respond(poll, packets: [.text(ByteBuffer(string: "1"))])
        }
        pollBuffer = []
        pollBufferBytes = 0
        let code: WebSocketErrorCode =
            reason == .parseError || reason == .transportError ? .protocolError : .normalClosure
        webSocket?.connection.close(code: code)
        probe?.connection.close(code: code)
        webSocket = nil
        probe = nil
        notifyClosed(reason)
    }
}
