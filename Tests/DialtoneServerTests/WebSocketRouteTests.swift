import DialtoneServer
import NIOCore
import NIOWebSocket
import Testing

@Suite("WebSocket routes")
struct WebSocketRouteTests {
    enum Event: Sendable, Equatable {
        case opened(path: String, token: String?)
        case text(String)
        case closed(Int?)
    }

    /// Echoes text back with a prefix; `close` closes with 4000.
    final class EchoHandler: WebSocketMessageHandler {
        let connection: WebSocketConnection
        let recorder: Recorder<Event>

        init(connection: WebSocketConnection, recorder: Recorder<Event>) {
            self.connection = connection
            self.recorder = recorder
        }

        func received(text: String) {
            let recorder = self.recorder
            Task { await recorder.record(.text(text)) }
            if text == "close" {
                connection.close(code: .init(codeNumber: 4000), reason: "bye")
            } else {
                connection.send(text: "echo:" + text)
            }
        }

        func closed(code: WebSocketCloseCode?) {
            let recorder = self.recorder
            Task { await recorder.record(.closed(code)) }
        }
    }

    func router(_ recorder: Recorder<Event>) -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.GET, "/health") { _ in .text(.ok, "ok") }
        router.webSocket("/ws") { request, connection in
            let token = request.query["token"]
            Task { await recorder.record(.opened(path: request.path, token: token)) }
            return EchoHandler(connection: connection, recorder: recorder)
        }
        return router
    }

    @Test func upgradesEchoesAndSeesTheRequest() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder), maxBodySize: 1000) { port, _ in
            let client = try await TestClient(port: port)
            let response = try await client.upgrade("/ws?token=abc")
            #expect(response.status == 101)
            #expect(response.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
            try await client.sendText("hello")
            #expect(try await client.readFrame() == .init(fin: true, opcode: 1, payload: Array("echo:hello".utf8)))
            _ = try await recorder.first { $0 == .opened(path: "/ws", token: "abc") }
            await client.close()
            _ = try await recorder.first { if case .closed = $0 { true } else { false } }
        }
    }

    @Test func upgradesAKeepAliveConnectionThatServedPlainRequests() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder)) { port, _ in
            let client = try await TestClient(port: port)
            #expect(try await client.request("GET", "/health").body == "ok")
            #expect(try await client.request("GET", "/health").body == "ok")
            #expect(try await client.upgrade("/ws").status == 101)
            try await client.sendText("after http")
            #expect(try await client.readFrame().text == "echo:after http")
            await client.close()
        }
    }

    @Test func reassemblesFragmentsAndAnswersPingsBetweenThem() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder)) { port, _ in
            let client = try await TestClient(port: port)
            #expect(try await client.upgrade("/ws").status == 101)
            try await client.sendFrame(opcode: 1, payload: Array("frag".utf8), fin: false)
            try await client.sendFrame(opcode: 9, payload: [7, 7])
            try await client.sendFrame(opcode: 0, payload: Array("men".utf8), fin: false)
            try await client.sendFrame(opcode: 0, payload: Array("ted".utf8), fin: true)
            #expect(try await client.readFrame() == .init(fin: true, opcode: 10, payload: [7, 7]))
            #expect(try await client.readFrame().text == "echo:fragmented")
            await client.close()
        }
    }

    @Test func answersACloseFrameWithTheSameCode() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder)) { port, _ in
            let client = try await TestClient(port: port)
            #expect(try await client.upgrade("/ws").status == 101)
            try await client.sendFrame(opcode: 8, payload: [0x03, 0xE8])
            #expect(try await client.readFrame().closeCode == 1000)
            try await client.waitForClose()
            _ = try await recorder.first { $0 == .closed(1000) }
        }
    }

    @Test func theHandlerClosesWithItsOwnCode() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder)) { port, _ in
            let client = try await TestClient(port: port)
            #expect(try await client.upgrade("/ws").status == 101)
            try await client.sendText("close")
            let frame = try await client.readFrame()
            #expect(frame.closeCode == 4000)
            #expect(frame.payload.dropFirst(2).elementsEqual("bye".utf8))
            try await client.waitForClose()
        }
    }

    @Test func refusesBinaryTooLargeAndMalformedMessages() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder), maxBodySize: 1000) { port, _ in
            let binary = try await TestClient(port: port)
            #expect(try await binary.upgrade("/ws").status == 101)
            try await binary.sendFrame(opcode: 2, payload: [1, 2, 3])
            #expect(try await binary.readFrame().closeCode == 1003)
            try await binary.waitForClose()

            let large = try await TestClient(port: port)
            #expect(try await large.upgrade("/ws").status == 101)
            try await large.sendFrame(opcode: 1, payload: Array(repeating: 65, count: 1001))
            #expect(try await large.readFrame().closeCode == 1009)
            try await large.waitForClose()

            let fragmentedLarge = try await TestClient(port: port)
            #expect(try await fragmentedLarge.upgrade("/ws").status == 101)
            try await fragmentedLarge.sendFrame(opcode: 1, payload: Array(repeating: 65, count: 600), fin: false)
            try await fragmentedLarge.sendFrame(opcode: 0, payload: Array(repeating: 65, count: 600), fin: true)
            #expect(try await fragmentedLarge.readFrame().closeCode == 1009)
            try await fragmentedLarge.waitForClose()

            let strayContinuation = try await TestClient(port: port)
            #expect(try await strayContinuation.upgrade("/ws").status == 101)
            try await strayContinuation.sendFrame(opcode: 0, payload: [65])
            #expect(try await strayContinuation.readFrame().closeCode == 1002)
            try await strayContinuation.waitForClose()

            // Nothing above affected the server: a new connection works.
            let fine = try await TestClient(port: port)
            #expect(try await fine.upgrade("/ws").status == 101)
            try await fine.sendText("still fine")
            #expect(try await fine.readFrame().text == "echo:still fine")
            await fine.close()
        }
    }

    /// The grace period is longer than the time limit: the test fails if shutdown has to wait for it.
    @Test(.timeLimit(.minutes(1)))
    func shutdownSaysGoingAwayAndClosesIdleConnections() async throws {
        let recorder = Recorder<Event>()
        var configuration = HTTPServer.Configuration(listeners: [.address(host: "127.0.0.1", port: 0)])
        configuration.shutdownGracePeriod = .seconds(120)
        let server = HTTPServer(configuration: configuration, router: router(recorder))
        let port = try #require(try await server.start().first?.port)
        let webSocket = try await TestClient(port: port)
        #expect(try await webSocket.upgrade("/ws").status == 101)
        let idle = try await TestClient(port: port)
        #expect(try await idle.request("GET", "/health").body == "ok")

        await server.shutdown()
        #expect(try await webSocket.readFrame().closeCode == 1001)
        try await webSocket.waitForClose()
        try await idle.waitForClose()
    }

    @Test func refusesInvalidUpgradeRequests() async throws {
        let recorder = Recorder<Event>()
        try await withServer(router(recorder)) { port, _ in
            let noKey = try await TestClient(port: port)
            let noKeyResponse = try await noKey.request(
                "GET", "/ws",
                headers: [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13")])
            #expect(noKeyResponse.status == 400)
            try await noKey.waitForClose()

            let wrongVersion = try await TestClient(port: port)
            let wrongVersionResponse = try await wrongVersion.request(
                "GET", "/ws",
                headers: [
                    ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "8"),
                    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                ])
            #expect(wrongVersionResponse.status == 400)
            try await wrongVersion.waitForClose()

            let elsewhere = try await TestClient(port: port)
            #expect(try await elsewhere.upgrade("/elsewhere").status == 404)
            try await elsewhere.waitForClose()
        }
    }
}
