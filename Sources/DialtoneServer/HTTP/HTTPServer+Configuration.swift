import NIOCore

extension HTTPServer {
    /// Where the server accepts connections.
    public enum Listener: Sendable, Hashable {
        /// Bind `host:port` (port 0 picks a free one).
        case address(host: String, port: Int)
        /// Adopt an already bound, listening socket (socket activation).
        case socket(NIOBSDSocket.Handle)
    }

    public struct Configuration: Sendable {
        public var listeners: [Listener]
        /// The largest body of a plain HTTP request and the largest `/ws` message (Engine.IO
        /// endpoints use their own `maxPayload`). Over it: 413, or close 1009.
        public var maxBodySize: Int = 1_000_000
        /// Bytes a connection may have waiting to be sent. A WebSocket client that lets more
        /// pile up is dropped instead of being buffered for without bound.
        public var outboundBufferLimit: Int = 4_000_000
        public var backlog: Int32 = 256
        /// How long a shutdown waits for connections to finish before closing them.
        public var shutdownGracePeriod: Duration = .seconds(5)
        /// Connection counts, request and idle timeouts, allowed browser origins.
        public var limits = Limits()

        public init(listeners: [Listener]) {
            self.listeners = listeners
        }
    }
}
