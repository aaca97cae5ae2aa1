import DialtoneProtocol
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One Engine.IO session. All of its state lives on `eventLoop` (the loop of the connection
/// that opened it); everything else reaches it through ``onLoop(_:)``. It runs
/// ``EngineIOSessionStateMachine`` and carries out the actions it returns.
final class EngineIOSession: @unchecked Sendable {
    // @unchecked: mutable state is only touched on `eventLoop` (asserted in debug builds).

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
    private let server: EngineIOServer
    private var machine: EngineIOSessionStateMachine
    private var handler: (any EngineIOSessionHandler)?
    private var pollBuffer: [Outbound] = []
    private var pollBufferBytes = 0
    private var parkedPoll: HTTPResponder?
    /// Tells a parked poll's abort from that of an earlier poll answered since.
    private var parkedPollGeneration = 0
    private var webSocket: EngineIOWebSocketTransport?
    private var probe: EngineIOWebSocketTransport?
    private var timer: Scheduled<Void>?
    private var timerDeadline: Duration?
    private var finished = false

    init(server: EngineIOServer, transport: EngineIOSessionStateMachine.Transport, eventLoop: any EventLoop) {
        self.id = EngineIOSessionID.make()
        self.server = server
        self.eventLoop = eventLoop
        self.machine = EngineIOSessionStateMachine(
            transport: transport,
            pingInterval: server.configuration.pingInterval,
            pingTimeout: server.configuration.pingTimeout,
            upgradeTimeout: server.configuration.upgradeTimeout,
            closeTimeout: server.configuration.pingTimeout,
            now: Self.now())
    }

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

    private var connection: EngineIOConnection { EngineIOConnection(session: self) }

    private func handshake(upgrades: [String]) -> ByteBuffer {
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
        handler = server.application.sessionOpened(connection, request: request)
        rescheduleTimer()
    }

    /// Opens a WebSocket session: the handshake is its first message.
    func open(request: HTTPRequest, webSocket transport: EngineIOWebSocketTransport) {
        eventLoop.preconditionInEventLoop()
        webSocket = transport
        transport.connection.send(textBuffer: handshake(upgrades: []))
        handler = server.application.sessionOpened(connection, request: request)
        rescheduleTimer()
    }

    // MARK: Sending

    func send(_ packet: Outbound) {
        eventLoop.preconditionInEventLoop()
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

    private func write(_ packet: Outbound, to transport: EngineIOWebSocketTransport?) {
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

    // MARK: Polling

    func pollRequested(_ request: HTTPRequest, responder: HTTPResponder) {
        switch machine.pollRequested(hasBufferedPackets: !pollBuffer.isEmpty) {
        case .respond:
            respondWithBuffer(responder, request: request)
        case .respondNoop:
            respond(responder, packets: [.text(ByteBuffer(string: "6"))], request: request)
        case .park:
            parkedPoll = responder
            parkedPollGeneration += 1
            let generation = parkedPollGeneration
            responder.onAbort { [self] in
                onLoop { session in
                    guard session.parkedPoll != nil, session.parkedPollGeneration == generation else { return }
                    session.parkedPoll = nil
                    session.closeNow(session.machine.parkedPollAborted())
                }
            }
        case .respondWithClose:
            respondWithBuffer(responder, request: request, closing: true)
            finish(.serverClosed)
        case .reject:
            responder.respond(server.errorResponse(.badRequest, request))
        case .rejectAndClose:
            responder.respond(server.errorResponse(.badRequest, request))
            if let poll = parkedPoll {
                parkedPoll = nil
                respond(poll, packets: [.text(ByteBuffer(string: "1"))])
            }
            finish(.transportError)
        }
    }

    func dataPosted(_ request: HTTPRequest, responder: HTTPResponder) {
        guard machine.acceptsPostedData else {
            responder.respond(server.errorResponse(.badRequest, request))
            return
        }
        let packets: [EngineIOPacket]
        do {
            packets = try EngineIOPayload.decode(String(buffer: request.body))
        } catch {
            responder.respond(server.errorResponse(.badRequest, request))
            closeNow(machine.parseFailed())
            return
        }
        var headers = server.configuration.cors.headers(for: request.headers)
        headers.add(name: "Content-Type", value: "text/html")
        responder.respond(HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(string: "ok")))
        for packet in packets {
            guard !machine.isClosed else { break }
            perform(machine.received(packet, from: .activeTransport, now: Self.now()), for: packet, from: nil)
        }
        rescheduleTimer()
    }

    private func respondWithBuffer(_ responder: HTTPResponder, request: HTTPRequest? = nil, closing: Bool = false) {
        var packets = pollBuffer
        pollBuffer = []
        pollBufferBytes = 0
        if closing { packets.append(.text(ByteBuffer(string: "1"))) }
        respond(responder, packets: packets, request: request)
    }

    /// Writes a polling response: text packets as they are, binary ones as `b` + base64,
    /// separated by `\u{1e}`.
    private func respond(_ responder: HTTPResponder, packets: [Outbound], request: HTTPRequest? = nil) {
        var body = ByteBuffer()
        body.reserveCapacity(packets.reduce(0) { $0 + $1.byteCount + 1 })
        for (index, packet) in packets.enumerated() {
            if index > 0 { body.writeInteger(EngineIOPayload.separator) }
            switch packet {
            case .text(let buffer):
                body.writeImmutableBuffer(buffer)
            case .binary(let buffer):
                body.writeInteger(UInt8(ascii: "b"))
                body.writeString(Base64.encode(buffer.readableBytesView))
            }
        }
        var headers = request.map { server.configuration.cors.headers(for: $0.headers) } ?? corsHeadersOfOpen
        headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
        responder.respond(HTTPResponse(status: .ok, headers: headers, body: body))
    }

    /// CORS headers for answers that are not tied to the request they answer (a parked poll
    /// answered later); `*` is the only value that fits every origin, anything else is left out.
    private var corsHeadersOfOpen: HTTPHeaders {
        server.configuration.cors == .anyOrigin ? ["Access-Control-Allow-Origin": "*"] : [:]
    }

    // MARK: WebSocket

    func probeRequested(_ transport: EngineIOWebSocketTransport) {
        guard machine.probeRequested(now: Self.now()) else {
            transport.connection.close(code: .policyViolation, reason: "upgrade not possible")
            return
        }
        probe = transport
        rescheduleTimer()
    }

    func webSocketReceived(text: String, from transport: EngineIOWebSocketTransport) {
        guard let source = source(of: transport) else { return }
        let packet: EngineIOPacket
        do {
            packet = try EngineIOPacket(text: text)
        } catch {
            if source == .probe {
                abortProbe()
            } else {
                closeNow(machine.parseFailed())
            }
            return
        }
        perform(machine.received(packet, from: source, now: Self.now()), for: packet, from: transport)
        rescheduleTimer()
    }

    func webSocketReceived(binary: ByteBuffer, from transport: EngineIOWebSocketTransport) {
        guard let source = source(of: transport) else { return }
        let packet = EngineIOPacket.binary([])
        switch machine.received(packet, from: source, now: Self.now()) {
        case .deliver: handler?.received(binary: binary)
        case let action: perform(action, for: packet, from: transport)
        }
    }

    func webSocketClosed(_ transport: EngineIOWebSocketTransport) {
        if transport === probe {
            probe = nil
            machine.probeClosed()
        } else if transport === webSocket {
            closeNow(machine.transportFailed(.transportClosed))
        }
    }

    private func source(of transport: EngineIOWebSocketTransport) -> EngineIOSessionStateMachine.Source? {
        if transport === webSocket { return .activeTransport }
        if transport === probe { return .probe }
        return nil
    }

    private func abortProbe() {
        machine.probeClosed()
        probe?.connection.close(code: .policyViolation, reason: "upgrade failed")
        probe = nil
    }

    // MARK: Actions

    private func perform(
        _ action: EngineIOSessionStateMachine.PacketAction, for packet: EngineIOPacket, from transport: EngineIOWebSocketTransport?
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
        case .acknowledgeProbe(let answerParkedPoll):
            probe?.connection.send(text: "3probe")
            if answerParkedPoll { answerParkedPollWithNoop() }
        case .completeUpgrade(let answerParkedPoll):
            if answerParkedPoll { answerParkedPollWithNoop() }
            webSocket = probe
            probe = nil
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

    private func answerParkedPollWithNoop() {
        guard let poll = parkedPoll else { return }
        parkedPoll = nil
        respond(poll, packets: [.text(ByteBuffer(string: "6"))])
    }

    private func closeNow(_ reason: EngineIOSessionStateMachine.CloseReason?) {
        guard let reason else { return }
        finish(reason)
    }

    // MARK: Timer

    private func rescheduleTimer() {
        guard !finished else { return }
        let deadline = machine.nextDeadline
        guard deadline != timerDeadline else { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = eventLoop.scheduleTask(in: (deadline - Self.now()).timeAmount) { [self] in
            timerDeadline = nil
            timerFired()
        }
    }

    private func timerFired() {
        let outcome = machine.timerFired(now: Self.now())
        if outcome.abortProbe {
            probe?.connection.close(code: .policyViolation, reason: "upgrade timeout")
            probe = nil
        }
        if outcome.sendPing { send(.text(ByteBuffer(string: "2"))) }
        if let reason = outcome.close {
            finish(reason)
            return
        }
        rescheduleTimer()
    }

    // MARK: Ending

    private func notifyClosed(_ reason: EngineIOSessionStateMachine.CloseReason) {
        let handler = self.handler
        self.handler = nil
        handler?.closed(reason: reason)
    }

    /// Releases everything: the registry entry, the timer, the transports, the buffer.
    private func finish(_ reason: EngineIOSessionStateMachine.CloseReason) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        timer = nil
        server.unregister(self)
        if let poll = parkedPoll {
            parkedPoll = nil
            respond(poll, packets: [.text(ByteBuffer(string: "1"))])
        }
        pollBuffer = []
        pollBufferBytes = 0
        let code: WebSocketErrorCode = reason == .parseError || reason == .transportError ? .protocolError : .normalClosure
        webSocket?.connection.close(code: code)
        probe?.connection.close(code: code)
        webSocket = nil
        probe = nil
        notifyClosed(reason)
    }
}
