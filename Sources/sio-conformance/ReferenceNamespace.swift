import DialtoneJSON
import DialtoneProtocol
import DialtoneServer

/// The namespace behaviour the Socket.IO v5 test suite expects: `auth` with the CONNECT payload
/// on connect, `message` echoed as `message-back`, `message-with-ack` echoed through the ack.
struct ReferenceNamespace: SocketIONamespaceHandler {
    func connected(_ socket: SocketIOSocket) {
        socket.emit("auth", [socket.handshake.auth])
    }

    func received(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        switch event.name {
        case "message":
            socket.emit("message-back", values: (try? event.values()) ?? event.arguments.map(SocketIOValue.json))
        case "message-with-ack":
            event.ack?.send(values: (try? event.values()) ?? event.arguments.map(SocketIOValue.json))
        default:
            break
        }
    }
}
