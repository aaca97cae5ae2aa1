import Logging
import NIOCore
import Synchronization

/// A Socket.IO v5 endpoint on top of an Engine.IO one. Register a handler per namespace, then
/// mount ``engine`` on the ``HTTPRouter``.
public final class SocketIOServer: Sendable {
    public struct Configuration: Sendable {
        /// The Engine.IO options; the path defaults to `/socket.io/`.
        public var engine: EngineIOServer.Configuration
        /// How long a new connection may take to join a namespace before it is closed.
        public var connectTimeout: Duration = .seconds(45)

        public init(engine: EngineIOServer.Configuration = .init(path: "/socket.io/")) {
            self.engine = engine
        }
    }

    /// What every connection of this endpoint reads: the namespace handlers and the options.
    final class Shared: EngineIOApplication {
        let configuration: Configuration
        private let namespaces = Mutex([String: any SocketIONamespaceHandler]())

        init(configuration: Configuration) {
            self.configuration = configuration
        }

        func register(_ namespace: String, handler: any SocketIONamespaceHandler) {
            namespaces.withLock { $0[namespace] = handler }
        }

        func handler(for namespace: String) -> (any SocketIONamespaceHandler)? {
            namespaces.withLock { $0[namespace] }
        }

        func sessionOpened(_ connection: EngineIOConnection, request: HTTPRequest) -> any EngineIOSessionHandler {
            SocketIOClient(connection: connection, server: self, request: request)
        }
    }

    private let shared: Shared
    /// The Engine.IO endpoint to mount on the router.
    public let engine: EngineIOServer

    public init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "dialtone.socketio")) {
        shared = Shared(configuration: configuration)
        engine = EngineIOServer(configuration: configuration.engine, application: shared, logger: logger)
    }

    public var configuration: Configuration { shared.configuration }

    /// Serves `namespace` (`/` or `/custom`) with `handler`, replacing any earlier handler for
    /// new connections. Clients asking for a namespace without a handler get
    /// CONNECT_ERROR `{"message":"Invalid namespace"}`.
    public func register(_ namespace: String, handler: any SocketIONamespaceHandler) {
        shared.register(namespace, handler: handler)
    }
}
