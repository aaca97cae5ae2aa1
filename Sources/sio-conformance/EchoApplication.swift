import DialtoneProtocol
import DialtoneServer
import NIOCore

/// Sends every Engine.IO message, text or binary, back to the session it came from.
struct EchoApplication: EngineIOApplication {
    func sessionOpened(_ connection: EngineIOConnection, request: HTTPRequest) -> any EngineIOSessionHandler {
        Echo(connection: connection)
    }

    final class Echo: EngineIOSessionHandler {
        let connection: EngineIOConnection

        init(connection: EngineIOConnection) {
            self.connection = connection
        }

        func received(text: Substring) { connection.send(text: String(text)) }
        func received(binary: ByteBuffer) { connection.send(binary: binary) }
        func closed(reason: EngineIOSessionStateMachine.CloseReason) {}
    }
}
