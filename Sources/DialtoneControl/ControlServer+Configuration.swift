#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ControlServer {
    /// Where and how the control socket listens.
    public struct Configuration: Sendable {
        /// The socket to serve.
        public enum Listener: Sendable, Hashable {
            /// Bind a Unix stream socket at this path (a stale socket file is replaced).
            case path(String)
            /// Adopt a listening Unix stream socket, such as systemd's `control` socket.
            case descriptor(CInt)
        }

        public var listener: Listener
        /// The socket file's permissions when bound by path.
        public var socketMode: mode_t = 0o660
        /// The socket file's group when bound by path, if the group exists.
        public var socketGroup: String? = "dialtone"
        /// Longest request line accepted; a longer one is answered with an error and skipped.
        public var maxLineBytes = 1 << 20
        /// Events buffered per subscriber before further ones are dropped (and reported as `lagged`).
        public var eventBufferCapacity = 1024
        /// Large answers are written in pieces of this size, pausing while the socket is full.
        public var writeChunkBytes = 64 * 1024
        /// The daemon's version, for the OpenRPC document.
        public var version = "0.0.0"

        public init(listener: Listener) {
            self.listener = listener
        }
    }
}
