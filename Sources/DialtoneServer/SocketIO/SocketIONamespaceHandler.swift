import DialtoneJSON
import DialtoneProtocol

/// The application side of one Socket.IO namespace. Every call happens on the event loop of the
/// client's connection, so none may block; hand long work to your own task or actor and answer
/// through the socket handle or the ack, which work from anywhere.
public protocol SocketIONamespaceHandler: Sendable {
    /// Decides whether a client may join. The default accepts everyone.
    func authorize(_ handshake: SocketIOHandshake) -> SocketIOConnectDecision
    /// A client joined; the CONNECT answer is already sent, so emits from here arrive after it.
    func connected(_ socket: SocketIOSocket)
    /// An event from a connected client.
    func received(_ event: SocketIOEvent, from socket: SocketIOSocket)
    /// The client left, was disconnected, or its connection ended. The last call for this socket.
    func disconnected(_ socket: SocketIOSocket, reason: SocketIODisconnectReason)
}

extension SocketIONamespaceHandler {
    public func authorize(_ handshake: SocketIOHandshake) -> SocketIOConnectDecision { .accept }
    public func connected(_ socket: SocketIOSocket) {}
    public func disconnected(_ socket: SocketIOSocket, reason: SocketIODisconnectReason) {}
}

/// The answer to a CONNECT.
public enum SocketIOConnectDecision: Sendable, Hashable {
    case accept
    /// Refuse with a CONNECT_ERROR carrying `data`, such as `{"message":"unauthorized"}`.
    case reject(JSON)
}

/// Why a socket left its namespace.
public enum SocketIODisconnectReason: Sendable, Hashable, CustomStringConvertible {
    /// The client sent DISCONNECT for this namespace.
    case clientDisconnect
    /// The server called ``SocketIOSocket/disconnect(closingConnection:)``.
    case serverDisconnect
    /// The client broke the protocol and its connection was closed.
    case parseError
    /// The Engine.IO session ended (`ping timeout`, `transport close`, ...).
    case connectionClosed(EngineIOSessionStateMachine.CloseReason)

    public var description: String {
        switch self {
        case .clientDisconnect: "client namespace disconnect"
        case .serverDisconnect: "server namespace disconnect"
        case .parseError: "parse error"
        case .connectionClosed(let reason): reason.description
        }
    }
}
