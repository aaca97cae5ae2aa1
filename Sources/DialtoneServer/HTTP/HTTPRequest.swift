import NIOCore
import NIOHTTP1

/// A complete HTTP request as a route handler sees it.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    /// The path without the query string, as sent (not percent-decoded).
    public var path: String
    public var query: HTTPQuery
    /// The whole body; never more than the configured limit.
    public var body: ByteBuffer
    public var remoteAddress: SocketAddress?

    public init(head: HTTPRequestHead, body: ByteBuffer = ByteBuffer(), remoteAddress: SocketAddress? = nil) {
        self.head = head
        let uri = head.uri[...]
        if let mark = uri.firstIndex(of: "?") {
            self.path = String(uri[..<mark])
            self.query = HTTPQuery(uri[uri.index(after: mark)...])
        } else {
            self.path = String(uri)
            self.query = HTTPQuery()
        }
        self.body = body
        self.remoteAddress = remoteAddress
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }
}
