import DialtoneProtocol
import DialtoneServer
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Engine.IO endpoint")
struct EngineIOServerTests {
    /// Echoes messages and records how sessions end.
    struct EchoApplication: EngineIOApplication {
        let closes: Recorder<EngineIOSessionStateMachine.CloseReason>

        func sessionOpened(_ connection: EngineIOConnection, request: HTTPRequest) -> any EngineIOSessionHandler {
            Echo(connection: connection, closes: closes)
        }

        final class Echo: EngineIOSessionHandler {
            let connection: EngineIOConnection
            let closes: Recorder<EngineIOSessionStateMachine.CloseReason>

            init(connection: EngineIOConnection, closes: Recorder<EngineIOSessionStateMachine.CloseReason>) {
                self.connection = connection
                self.closes = closes
            }

            func received(text: Substring) {
                if text == "flood" {
                    let chunk = String(repeating: "x", count: 65_536)
                    for _ in 0..<200 { connection.send(text: chunk) }
                } else {
                    connection.send(text: String(text))
                }
            }

            func received(binary: ByteBuffer) { connection.send(binary: binary) }

            func closed(reason: EngineIOSessionStateMachine.CloseReason) {
                let closes = self.closes
                Task { await closes.record(reason) }
            }
        }
    }

    func router(_ closes: Recorder<EngineIOSessionStateMachine.CloseReason>, pingInterval: Duration = .seconds(25))
        -> HTTPRouter
    {
        var configuration = EngineIOServer.Configuration(path: "/engine.io")
        configuration.pingInterval = pingInterval
        configuration.cors = .origins(["https://app.example"])
        var router = HTTPRouter()
        router.mount(EngineIOServer(configuration: configuration, application: EchoApplication(closes: closes)))
        return router
    }

    static func sid(of handshake: String) throws -> String {
        let parts = handshake.split(separator: "\"", omittingEmptySubsequences: false)
        let key = try #require(parts.firstIndex(of: "sid"))
        return String(parts[key + 2])
    }

    @Test func upgradesOnTheKeepAliveConnectionThatServedPolling() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        try await withServer(router(closes)) { port, _ in
            let client = try await TestClient(port: port)
            let handshake = try await client.request("GET", "/engine.io/?EIO=4&transport=polling")
            #expect(handshake.status == 200)
            let sid = try Self.sid(of: handshake.body)
            #expect(
                try await client.request("POST", "/engine.io/?EIO=4&transport=polling&sid=\(sid)", body: "4polled").body
                    == "ok")
            #expect(try await client.request("GET", "/engine.io/?EIO=4&transport=polling&sid=\(sid)").body == "4polled")
            #expect(try await client.upgrade("/engine.io/?EIO=4&transport=websocket&sid=\(sid)").status == 101)
            try await client.sendText("2probe")
            #expect(try await client.readFrame().text == "3probe")
            try await client.sendText("5")
            try await client.sendText("4upgraded")
            #expect(try await client.readMessage().text == "4upgraded")
            await client.close()
            #expect(try await closes.first { _ in true } == .transportClosed)
        }
    }

    @Test func corsHeadersFollowThePolicy() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        try await withServer(router(closes)) { port, _ in
            let client = try await TestClient(port: port)
            let allowed = try await client.request(
                "GET", "/engine.io/?EIO=4&transport=polling", headers: [("Origin", "https://app.example")])
            #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(allowed.header("Access-Control-Allow-Credentials") == "true")
            let other = try await client.request(
                "GET", "/engine.io/?EIO=4&transport=polling", headers: [("Origin", "https://evil.example")])
            #expect(other.header("Access-Control-Allow-Origin") == nil)
            let preflight = try await client.request(
                "OPTIONS", "/engine.io/?EIO=4&transport=polling",
                headers: [("Origin", "https://app.example"), ("Access-Control-Request-Headers", "content-type")])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Headers") == "content-type")
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
            await client.close()
        }
    }

    @Test func answersErrorsWithTheReferenceCodes() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        try await withServer(router(closes)) { port, _ in
            let client = try await TestClient(port: port)
            let cases: [(String, String, Int, String)] = [
                (
                    "GET", "/engine.io/?EIO=4&transport=polling&sid=nope", 400,
                    #"{"code":1,"message":"Session ID unknown"}"#
                ),
                (
                    "GET", "/engine.io/?EIO=4&transport=carrier-pigeon", 400,
                    #"{"code":0,"message":"Transport unknown"}"#
                ),
                ("POST", "/engine.io/?EIO=4&transport=polling", 400, #"{"code":2,"message":"Bad handshake method"}"#),
                (
                    "GET", "/engine.io/?EIO=3&transport=polling", 400,
                    #"{"code":5,"message":"Unsupported protocol version"}"#
                ),
            ]
            for (method, target, status, body) in cases {
                let response = try await client.request(method, target)
                #expect(response.status == status, "\(method) \(target)")
                #expect(response.body == body, "\(method) \(target)")
            }
            await client.close()
        }
    }

    @Test func aPostOverMaxPayloadGets413() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        var configuration = EngineIOServer.Configuration(path: "/engine.io/")
        configuration.maxPayload = 100
        var router = HTTPRouter()
        router.mount(EngineIOServer(configuration: configuration, application: EchoApplication(closes: closes)))
        try await withServer(router) { port, _ in
            let client = try await TestClient(port: port)
            let sid = try Self.sid(of: try await client.request("GET", "/engine.io/?EIO=4&transport=polling").body)
            let response = try await client.request(
                "POST", "/engine.io/?EIO=4&transport=polling&sid=\(sid)", body: "4" + String(repeating: "x", count: 100)
            )
            #expect(response.status == 413)
            await client.close()
        }
    }

    @Test func dropsAWebSocketClientThatStopsReading() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        try await withServer(router(closes), outboundBufferLimit: 256 * 1024) { port, _ in
            let client = try await TestClient(port: port, receiveBufferSize: 4096)
            #expect(try await client.upgrade("/engine.io/?EIO=4&transport=websocket").status == 101)
            try await client.sendText("4flood")
            client.stopReading()
            #expect(try await closes.first(timeout: .seconds(10)) { _ in true } == .transportClosed)
            await client.close()
        }
    }

    @Test func adoptsAnAlreadyListeningSocket() async throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0)
        try #require(listen(descriptor, 16) == 0)

        var router = HTTPRouter()
        router.add(.GET, "/health") { _ in .text(.ok, "adopted") }
        let server = HTTPServer(
            configuration: .init(listeners: [.socket(descriptor), .address(host: "127.0.0.1", port: 0)]), router: router
        )
        let addresses = try await server.start()
        #expect(addresses.count == 2)
        for address in addresses {
            let client = try await TestClient(port: try #require(address.port))
            #expect(try await client.request("GET", "/health").body == "adopted")
            await client.close()
        }
        await server.shutdown()
    }
}
