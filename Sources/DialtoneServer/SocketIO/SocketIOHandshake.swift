import DialtoneJSON
import NIOCore
import NIOHTTP1

/// What a client presented when joining a namespace.
public struct SocketIOHandshake: Sendable {
    public var namespace: String
    /// The CONNECT payload; `{}` when the client sent none.
    public var auth: JSON
    /// The query of the Engine.IO handshake request (`?userId=`, `?token=`, ...).
    public var query: HTTPQuery
    /// The headers of the Engine.IO handshake request (`Authorization`, `User-Agent`, ...).
    public var headers: HTTPHeaders
    public var remoteAddress: SocketAddress?
    /// The Engine.IO session id the socket rides on.
    public var engineSessionID: String

    public init(
        namespace: String, auth: JSON = [:], query: HTTPQuery = HTTPQuery(), headers: HTTPHeaders = [:],
        remoteAddress: SocketAddress? = nil, engineSessionID: String = ""
    ) {
        self.namespace = namespace
        self.auth = auth
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.engineSessionID = engineSessionID
    }
}
