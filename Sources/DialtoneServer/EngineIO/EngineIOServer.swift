import DialtoneProtocol
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// One Engine.IO v4 endpoint: the session registry and the entry points for its polling
/// requests and WebSocket upgrades. Mount it on an ``HTTPRouter``.
public final class EngineIOServer: Sendable {
    public let configuration: Configuration
    let application: any EngineIOApplication
    let logger: Logger
    /// `polling`: the sessions still on the polling transport, bounded by `maxPollingSessions`.
    private let sessions = Mutex((open: [String: EngineIOSession](), polling: Set<String>(), accepting: true))
    /// One timer wheel per event loop that has had a session, looked up once per session.
    private let loopTimers = Mutex([ObjectIdentifier: LoopTimerWheel<EngineIOSession>]())

    public init(
        configuration: Configuration, application: any EngineIOApplication,
        logger: Logger = Logger(label: "dialtone.engineio")
    ) {
        self.configuration = configuration
        self.application = application
        self.logger = logger
    }

    /// How many sessions are open.
    public var sessionCount: Int { sessions.withLock { $0.open.count } }

    /// Closes every session (a server close: WebSocket clients get a close frame, parked polls
    /// a `close` packet) and refuses new ones from now on: the server is shutting down.
    public func closeAllSessions() {
        let open = sessions.withLock { sessions in
            sessions.accepting = false
            return Array(sessions.open.values)
        }
        for session in open {
            EngineIOConnection(session: session).close()
        }
    }

    private enum Registration {
        case registered
        case shuttingDown
        case tooManyPollingSessions
    }

    /// Adds a new session, unless the endpoint is shutting down or, for a polling one, has
    /// `maxPollingSessions` already.
    private func register(_ session: EngineIOSession, polling: Bool = false) -> Registration {
        sessions.withLock { sessions in
            guard sessions.accepting else { return .shuttingDown }
            if polling {
                guard sessions.polling.count < configuration.maxPollingSessions else { return .tooManyPollingSessions }
                sessions.polling.insert(session.id)
            }
            sessions.open[session.id] = session
            return .registered
        }
    }

    func unregister(_ session: EngineIOSession) {
        sessions.withLock { sessions in
            guard sessions.open[session.id] === session else { return }
            sessions.open[session.id] = nil
            sessions.polling.remove(session.id)
        }
    }

    /// The session moved from polling to WebSocket: it no longer counts as a polling session.
    func upgraded(_ session: EngineIOSession) {
        _ = sessions.withLock { $0.polling.remove(session.id) }
    }

    /// The timer wheel of `eventLoop`'s sessions.
    func timers(for eventLoop: any EventLoop) -> LoopTimerWheel<EngineIOSession> {
        loopTimers.withLock { timers in
            if let existing = timers[ObjectIdentifier(eventLoop)] { return existing }
            // A ping sent a tick late leaves the client a tick less to answer: a tenth at most.
            let created = LoopTimerWheel<EngineIOSession>(
                eventLoop: eventLoop, tick: min(configuration.timerTick, configuration.pingTimeout / 10),
                horizon: configuration.pingInterval + configuration.pingTimeout)
            timers[ObjectIdentifier(eventLoop)] = created
            return created
        }
    }

    private func session(_ id: String) -> EngineIOSession? {
        sessions.withLock { $0.open[id] }
    }

    /// Handles a polling request (GET, POST or OPTIONS preflight).
    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        if request.method == .OPTIONS {
            responder.respond(
                HTTPResponse(status: .noContent, headers: configuration.cors.preflightHeaders(for: request.headers)))
            return
        }
        if let error = verify(request, transport: "polling") {
            responder.respond(error)
            return
        }
        if let sid = request.query["sid"] {
            guard let session = session(sid) else {
                responder.respond(errorResponse(.unknownSession, request))
                return
            }
            switch request.method {
            case .GET:
                session.onLoop { $0.pollRequested(request, responder: responder) }
            case .POST:
                session.onLoop { $0.dataPosted(request, responder: responder) }
            default:
                responder.respond(errorResponse(.badRequest, request))
            }
            return
        }
        guard request.method == .GET else {
            responder.respond(errorResponse(.badHandshakeMethod, request))
            return
        }
        let session = EngineIOSession(server: self, transport: .polling, eventLoop: responder.eventLoop)
        switch register(session, polling: true) {
        case .registered:
            break
        case .shuttingDown:
            responder.respond(.json(.serviceUnavailable, #"{"code":3,"message":"Server shutting down"}"#))
            return
        case .tooManyPollingSessions:
            LimitRejection.pollingSessions.record(logger)
            var response = errorResponse(.tooManyPollingSessions, request)
            response.status = .serviceUnavailable
            responder.respond(response)
            return
        }
        session.open(request: request, handshakeResponder: responder)
    }

    enum WebSocketDecision {
        case accept((WebSocketConnection) -> any WebSocketFrameReceiver)
        case reject(HTTPResponse)
    }

    /// Decides on a WebSocket upgrade request: a new session, or a probe for a polling one.
    func webSocketRequested(_ request: HTTPRequest) -> WebSocketDecision {
        if let error = verify(request, transport: "websocket") { return .reject(error) }
        if let sid = request.query["sid"] {
            guard let session = session(sid) else { return .reject(errorResponse(.unknownSession, request)) }
            return .accept { connection in
                let transport = EngineIOWebSocketTransport(session: session, connection: connection)
                session.onLoop { $0.probeRequested(transport) }
                return transport
            }
        }
        return .accept { connection in
            let session = EngineIOSession(server: self, transport: .webSocket, eventLoop: connection.eventLoop)
            let transport = EngineIOWebSocketTransport(session: session, connection: connection)
            if self.register(session) == .registered {
                session.open(request: request, webSocket: transport)
            } else {
                connection.close(code: .goingAway, reason: "server shutting down")
            }
            return transport
        }
    }

    /// The checks every request goes through, in the order of the reference server.
    private func verify(_ request: HTTPRequest, transport: String) -> HTTPResponse? {
        guard request.query["transport"] == transport else { return errorResponse(.unknownTransport, request) }
        guard request.query["EIO"] == "4" else { return errorResponse(.unsupportedProtocolVersion, request) }
        return nil
    }

    /// The error answer; CORS headers fit `request` when known (a parked poll answered later
    /// only gets a wildcard origin).
    func errorResponse(_ error: EngineIOHTTPError, _ request: HTTPRequest?) -> HTTPResponse {
        var response = HTTPResponse.json(error.status, error.jsonText)
        if let request {
            response.headers.add(contentsOf: configuration.cors.headers(for: request.headers))
        } else if configuration.cors == .anyOrigin {
            response.headers.add(name: "Access-Control-Allow-Origin", value: "*")
        }
        return response
    }
}
