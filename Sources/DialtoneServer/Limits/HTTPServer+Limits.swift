import NIOCore
import NIOHTTP1

extension HTTPServer {
    /// What the listener refuses to keep serving: too many connections, slow or idle ones, and
    /// browsers from origins not allowed. The defaults limit nothing.
    public struct Limits: Sendable, Hashable {
        /// Open connections in all; a new one beyond it gets 503 and is closed.
        public var maxConnections: Int?
        /// Open connections from one remote IP address; a new one beyond it gets 429 and is closed.
        public var maxConnectionsPerAddress: Int?
        /// How long a request's head and body may take to arrive, from its first byte: then 408.
        public var requestTimeout: Duration?
        /// How long a connection may wait for its next request (after it opened or after the last
        /// answer) before it is closed. Not while a request is being answered (a long poll).
        public var idleTimeout: Duration?
        /// Which `Origin` a WebSocket upgrade or an Engine.IO polling request may carry.
        public var origins: OriginPolicy = .any

        public init() {}
    }

    /// The browser origins allowed to reach the device endpoints. A request without `Origin` (a
    /// native app, a tool) is always allowed: the header is what browsers add.
    public enum OriginPolicy: Sendable, Hashable {
        case any
        /// Exactly these origins, such as `https://app.example.com`.
        case only(Set<String>)

        func allows(_ headers: HTTPHeaders) -> Bool {
            guard case .only(let allowed) = self, let origin = headers["origin"].first else { return true }
            return allowed.contains(origin)
        }
    }
}

extension HTTPResponse {
    static let originNotAllowed = HTTPResponse.json(
        .forbidden, #"{"status":"Error","message":"Origin not allowed"}"#)
    static let tooManyConnections = HTTPResponse.json(
        .serviceUnavailable, #"{"status":"Error","message":"Too many connections"}"#)
    static let tooManyConnectionsFromAddress = HTTPResponse.json(
        .tooManyRequests, #"{"status":"Error","message":"Too many connections from this address"}"#)
    static let requestTimeout = HTTPResponse.json(
        .requestTimeout, #"{"status":"Error","message":"Request timeout"}"#)

    /// The whole response as bytes, `Connection: close`, for a connection whose HTTP handlers
    /// are not (or no longer) in a state to write it.
    func serialized() -> ByteBuffer {
        var text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(body.readableBytes)\r\nConnection: close\r\n\r\n"
        var buffer = ByteBuffer(string: text)
        buffer.writeImmutableBuffer(body)
        return buffer
    }
}
