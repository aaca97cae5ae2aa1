extension EngineIOServer {
    /// The options of one Engine.IO endpoint. The defaults are those of the reference server.
    public struct Configuration: Sendable {
        /// The path prefix, with a trailing slash: `/socket.io/` or `/engine.io/`.
        public var path: String
        public var pingInterval: Duration = .milliseconds(25_000)
        public var pingTimeout: Duration = .milliseconds(20_000)
        /// The largest message, POST body or WebSocket message accepted, in bytes.
        public var maxPayload: Int = 1_000_000
        /// How long a WebSocket probe may take to complete the upgrade.
        public var upgradeTimeout: Duration = .seconds(10)
        /// Most bytes buffered for a polling client between two polls before the session is
        /// dropped: a client that stops polling must not make the server buffer without bound.
        public var maxPollingBuffer: Int = 4_000_000
        /// Most sessions on the polling transport at once; a polling handshake beyond it gets 503.
        /// Sessions that upgraded to WebSocket no longer count.
        public var maxPollingSessions: Int = .max
        /// How often the sessions' deadlines (pings, ping and upgrade timeouts) are checked: one
        /// task per event loop and tick serves them all, and each can be up to a tick late. A
        /// tenth of `pingTimeout` is used if that is shorter, so that a client answering a late
        /// ping keeps most of its `pingTimeout`.
        public var timerTick: Duration = .milliseconds(100)
        public var cors: CORSPolicy = .disabled
        /// Whether polling sessions are offered the WebSocket upgrade.
        public var allowUpgrades = true

        public init(path: String) {
            self.path = path.hasSuffix("/") ? path : path + "/"
        }
    }
}
