import NIOHTTP1

/// Where each request goes: plain routes (method + exact path), Engine.IO mounts (a path
/// prefix) and WebSocket routes (exact path). Build it before starting the server.
public struct HTTPRouter: Sendable {
    /// Answers one plain HTTP request on the connection's event loop. Every route is a short
    /// synchronous read or transition of the signaling state (its lock is held for microseconds),
    /// so a task per request would cost more than it could save.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    struct Route {
        let handler: Handler
        let gate: HTTPRouteGate
    }

    private var routes: [String: [String: Route]] = [:]
    private(set) var engines: [EngineIOServer] = []
    private var webSocketRoutes: [String: WebSocketHandlerFactory] = [:]

    public init() {}

    /// Adds a plain route, answered once `gate` is open. A request for a known path with another
    /// method gets 405; an unknown path gets 404 JSON.
    public mutating func add(
        _ method: HTTPMethod, _ path: String, after gate: HTTPRouteGate = .open, _ handler: @escaping Handler
    ) {
        routes[path, default: [:]][method.rawValue] = Route(handler: handler, gate: gate)
    }

    /// Serves an Engine.IO (or Socket.IO, through ``SocketIOServer/engine``) endpoint at its
    /// configured path prefix.
    public mutating func mount(_ engine: EngineIOServer) {
        engines.append(engine)
    }

    /// Accepts WebSocket connections at `path`.
    public mutating func webSocket(_ path: String, _ factory: @escaping WebSocketHandlerFactory) {
        webSocketRoutes[path] = factory
    }

    func engine(for path: String) -> EngineIOServer? {
        engines.first { path.hasPrefix($0.configuration.path) || path + "/" == $0.configuration.path }
    }

    func webSocketFactory(for path: String) -> WebSocketHandlerFactory? {
        webSocketRoutes[path]
    }

    enum Match {
        case route(Route)
        case methodNotAllowed
        case notFound
    }

    func route(_ method: HTTPMethod, _ path: String) -> Match {
        guard let byMethod = routes[path] else { return .notFound }
        if let route = byMethod[method.rawValue] { return .route(route) }
        if method == .HEAD, let route = byMethod[HTTPMethod.GET.rawValue] { return .route(route) }
        return .methodNotAllowed
    }
}
