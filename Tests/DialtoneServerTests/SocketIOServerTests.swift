import DialtoneJSON
import DialtoneProtocol
import DialtoneServer
import NIOCore
import Testing

@Suite("Socket.IO endpoint")
struct SocketIOServerTests {
    enum Event: Sendable {
        case connected(SocketIOSocket)
        case received(String, [JSON], SocketIOSocket)
        case acked([JSON])
        case disconnected(SocketIOSocket, SocketIODisconnectReason)
    }

    /// Admits clients whose auth, query or Authorization header carries `secret`, records
    /// everything, and acts on a few event names.
    struct Handler: SocketIONamespaceHandler {
        let recorder: Recorder<Event>

        func authorize(_ handshake: SocketIOHandshake) -> SocketIOConnectDecision {
            let presented = [
                handshake.auth["token"]?.stringValue, handshake.query["token"],
                handshake.headers["authorization"].first.map { String($0.dropFirst("Bearer ".count)) },
            ]
            return presented.contains("secret") ? .accept : .reject(["message": "unauthorized"])
        }

        func connected(_ socket: SocketIOSocket) {
            let recorder = self.recorder
            Task { await recorder.record(.connected(socket)) }
        }

        func received(_ event: SocketIOEvent, from socket: SocketIOSocket) {
            let recorder = self.recorder
            Task { await recorder.record(.received(event.name, Array(event.arguments), socket)) }
            switch event.name {
            case "ask":
                event.ack?([["ok": true], .string(event.name)])
            case "ask-me-back":
                socket.emit("question", [42]) { answer in
                    Task { await recorder.record(.acked(answer)) }
                }
            case "kick":
                socket.disconnect()
            default:
                break
            }
        }

        func disconnected(_ socket: SocketIOSocket, reason: SocketIODisconnectReason) {
            let recorder = self.recorder
            Task { await recorder.record(.disconnected(socket, reason)) }
        }
    }

    func router(_ recorder: Recorder<Event>) -> (HTTPRouter, SocketIOServer) {
        var configuration = SocketIOServer.Configuration()
        configuration.connectTimeout = .seconds(5)
        let server = SocketIOServer(configuration: configuration)
        server.register("/", handler: Handler(recorder: recorder))
        server.register("/admin", handler: Handler(recorder: recorder))
        var router = HTTPRouter()
        router.mount(server.engine)
        return (router, server)
    }

    /// A WebSocket client past the Engine.IO handshake.
    func open(_ port: Int, query: String = "", headers: [(String, String)] = []) async throws -> TestClient {
        let client = try await TestClient(port: port)
        #expect(
            try await client.upgrade("/socket.io/?EIO=4&transport=websocket\(query)", headers: headers).status == 101)
        #expect(try await client.readFrame().text.hasPrefix("0{"))
        return client
    }

    func connected(_ recorder: Recorder<Event>) async throws -> SocketIOSocket {
        let event = try await recorder.first { if case .connected = $0 { true } else { false } }
        guard case .connected(let socket) = event else { throw TestClient.Timeout() }
        return socket
    }

    @Test func authorizesFromAuthQueryOrHeaderAndRejectsWithData() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let byAuth = try await open(port)
            try await byAuth.sendText(#"40{"token":"secret"}"#)
            #expect(try await byAuth.readFrame().text.hasPrefix(#"40{"sid":""#))
            await byAuth.close()

            let byQuery = try await open(port, query: "&token=secret")
            try await byQuery.sendText("40/admin,")
            #expect(try await byQuery.readFrame().text.hasPrefix(#"40/admin,{"sid":""#))
            await byQuery.close()

            let byHeader = try await open(port, headers: [("Authorization", "Bearer secret")])
            try await byHeader.sendText("40")
            #expect(try await byHeader.readFrame().text.hasPrefix("40{"))
            await byHeader.close()

            let refused = try await open(port, query: "&token=wrong")
            try await refused.sendText(#"40{"token":"guess"}"#)
            #expect(try await refused.readFrame().text == #"44{"message":"unauthorized"}"#)
            try await refused.sendText("40/nowhere,")
            #expect(try await refused.readFrame().text == #"44/nowhere,{"message":"Invalid namespace"}"#)
            await refused.close()
        }
    }

    @Test func eventsAcksAndEmitsFromAnyThread() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let client = try await open(port, query: "&token=secret")
            try await client.sendText("40")
            _ = try await client.readFrame()
            let socket = try await connected(recorder)
            #expect(socket.handshake.query["token"] == "secret")

            try await client.sendText(#"42["hello",{"a":[1,2.50]},null]"#)
            let hello = try await recorder.first { if case .received("hello", _, _) = $0 { true } else { false } }
            if case .received(_, let arguments, let from) = hello {
                #expect(arguments == [["a": [1, .number(JSONNumber(text: "2.50")!)]], nil])
                #expect(from == socket)
            }

            try await client.sendText(#"4217["ask"]"#)
            #expect(try await client.readMessage().text == #"4317[{"ok":true},"ask"]"#)

            await Task.detached { socket.emit("from-elsewhere", ["x", 1]) }.value
            #expect(try await client.readMessage().text == #"42["from-elsewhere","x",1]"#)

            let shared = SocketIOEncodedPacket(event: "shared", arguments: [true])
            socket.send(shared)
            #expect(try await client.readMessage().text == #"42["shared",true]"#)

            try await client.sendText(#"42["ask-me-back"]"#)
            let question = try await client.readMessage().text
            #expect(question.hasPrefix("42") && question.hasSuffix(#"["question",42]"#))
            let ackID = question.dropFirst(2).prefix { $0.isNumber }
            try await client.sendText("43\(ackID)[\"answer\"]")
            _ = try await recorder.first { if case .acked(["answer"]) = $0 { true } else { false } }
            await client.close()
            _ = try await recorder.first {
                if case .disconnected(_, .connectionClosed(.transportClosed)) = $0 { true } else { false }
            }
        }
    }

    @Test func disconnectsEitherWay() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let client = try await open(port, query: "&token=secret")
            try await client.sendText("40")
            _ = try await client.readFrame()
            try await client.sendText("40/admin,")
            _ = try await client.readFrame()

            try await client.sendText("41/admin,")
            _ = try await recorder.first {
                if case .disconnected(let socket, .clientDisconnect) = $0 {
                    socket.namespace == "/admin"
                } else {
                    false
                }
            }
            try await client.sendText(#"42["kick"]"#)
            #expect(try await client.readMessage().text == "41")
            _ = try await recorder.first {
                if case .disconnected(let socket, .serverDisconnect) = $0 { socket.namespace == "/" } else { false }
            }
            // Emits to a socket that left are dropped; the connection itself stays open.
            let socket = try await connected(recorder)
            socket.emit("too-late", [])
            try await client.sendText("40")
            #expect(try await client.readMessage().text.hasPrefix("40{"))
            await client.close()
        }
    }

    @Test func aMalformedPacketClosesOnlyThatConnection() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let good = try await open(port, query: "&token=secret")
            try await good.sendText("40")
            _ = try await good.readFrame()
            let bad = try await open(port, query: "&token=secret")
            try await bad.sendText("40")
            _ = try await bad.readFrame()

            try await bad.sendText(#"42{"not":"an array"}"#)
            try await bad.waitForClose()
            _ = try await recorder.first { if case .disconnected(_, .parseError) = $0 { true } else { false } }

            try await good.sendText(#"421["ask"]"#)
            #expect(try await good.readMessage().text == #"431[{"ok":true},"ask"]"#)
            await good.close()
        }
    }

    @Test func binaryEventsAreReassembled() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let client = try await open(port, query: "&token=secret")
            try await client.sendText("40")
            _ = try await client.readFrame()
            try await client.sendText(#"451-["blob",{"_placeholder":true,"num":0}]"#)
            try await client.sendFrame(opcode: 2, payload: [1, 2, 3])
            let event = try await recorder.first { if case .received("blob", _, _) = $0 { true } else { false } }
            if case .received(_, let arguments, _) = event {
                #expect(arguments == [["_placeholder": true, "num": 0]])
            }
            // A binary frame nobody announced is a protocol error.
            try await client.sendFrame(opcode: 2, payload: [9])
            try await client.waitForClose()
        }
    }

    @Test func closesAConnectionThatNeverJoins() async throws {
        let recorder = Recorder<Event>()
        var configuration = SocketIOServer.Configuration()
        configuration.connectTimeout = .milliseconds(100)
        let server = SocketIOServer(configuration: configuration)
        server.register("/", handler: Handler(recorder: recorder))
        var router = HTTPRouter()
        router.mount(server.engine)
        try await withServer(router) { port, _ in
            let client = try await open(port)
            try await client.waitForClose()
        }
    }

    @Test func shutdownClosesSessionsAndStopsAccepting() async throws {
        let recorder = Recorder<Event>()
        let (router, socketIO) = router(recorder)
        var configuration = HTTPServer.Configuration(listeners: [.address(host: "127.0.0.1", port: 0)])
        configuration.maxBodySize = 1000
        let server = HTTPServer(configuration: configuration, router: router)
        let port = try #require(try await server.start().first?.port)
        let client = try await open(port, query: "&token=secret")
        try await client.sendText("40")
        _ = try await client.readFrame()
        #expect(socketIO.engine.sessionCount == 1)

        let running = Task { try await server.run() }
        await server.shutdown()
        try await running.value
        #expect(try await client.readMessage().closeCode == 1000)
        try await client.waitForClose()
        _ = try await recorder.first {
            if case .disconnected(_, .connectionClosed(.serverClosed)) = $0 { true } else { false }
        }
        #expect(socketIO.engine.sessionCount == 0)
        await #expect(throws: (any Error).self) { _ = try await TestClient(port: port) }
    }
}
