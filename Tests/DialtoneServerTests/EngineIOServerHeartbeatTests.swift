import DialtoneProtocol
import DialtoneServer
import NIOCore
import Testing

/// Heartbeats served by the per-loop timer wheel, over real WebSocket sessions.
@Suite("Engine.IO heartbeats")
struct EngineIOServerHeartbeatTests {
    static let pingInterval = Duration.milliseconds(200)
    /// Long enough for a client of a test run in parallel with many others to answer in time.
    static let pingTimeout = Duration.milliseconds(1_500)

    func router(_ closes: Recorder<EngineIOSessionStateMachine.CloseReason>) -> HTTPRouter {
        var configuration = EngineIOServer.Configuration(path: "/engine.io")
        configuration.pingInterval = Self.pingInterval
        configuration.pingTimeout = Self.pingTimeout
        configuration.timerTick = .milliseconds(10)
        var router = HTTPRouter()
        router.mount(
            EngineIOServer(
                configuration: configuration,
                application: EngineIOServerTests.EchoApplication(closes: closes)))
        return router
    }

    func openSession(port: Int) async throws -> TestClient {
        let client = try await TestClient(port: port)
        #expect(try await client.upgrade("/engine.io/?EIO=4&transport=websocket").status == 101)
        #expect(try await client.readFrame().text.hasPrefix("0{"))
        return client
    }

    @Test func pingsEverySessionAndClosesOnlyThoseThatStopAnswering() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        try await withServer(router(closes)) { port, _ in
            var clients: [TestClient] = []
            for _ in 0..<6 { clients.append(try await openSession(port: port)) }
            for _ in 0..<2 {
                for client in clients {
                    #expect(try await client.readFrame().text == "2")
                    try await client.sendText("3")
                }
            }
            let silent = clients.suffix(3)
            let answering = clients.prefix(3)
            for client in silent {
                #expect(try await client.readFrame().text == "2")
            }
            // The answering sessions keep being pinged past the silent ones' timeout.
            let pastTimeout = ContinuousClock.now + Self.pingTimeout + Self.pingInterval * 2
            while ContinuousClock.now < pastTimeout {
                for client in answering {
                    #expect(try await client.readFrame().text == "2")
                    try await client.sendText("3")
                }
            }
            for client in silent {
                #expect(try await client.readFrame().closeCode == 1000)
                try await client.waitForClose()
            }
            for client in answering {
                try await client.sendText("4still here")
                #expect(try await client.readMessage(answeringPings: true).text == "4still here")
            }
            #expect(try await Self.closeReasons(closes, count: 3) == Array(repeating: .pingTimeout, count: 3))
            for client in answering { await client.close() }
            let all = try await Self.closeReasons(closes, count: 6)
            #expect(all.suffix(3) == Array(repeating: .transportClosed, count: 3))
        }
    }

    /// The reasons recorded once there are at least `count` (they are recorded asynchronously).
    static func closeReasons(
        _ closes: Recorder<EngineIOSessionStateMachine.CloseReason>, count: Int
    ) async throws -> [EngineIOSessionStateMachine.CloseReason] {
        let deadline = ContinuousClock.now + .seconds(5)
        while await closes.all.count < count {
            guard ContinuousClock.now < deadline else { throw TestClient.Timeout() }
            try await Task.sleep(for: .milliseconds(2))
        }
        return await closes.all
    }

    @Test func neverPingsBeforeTheInterval() async throws {
        let closes = Recorder<EngineIOSessionStateMachine.CloseReason>()
        try await withServer(router(closes)) { port, _ in
            // Taken before the server can start the interval (the handshake, then each pong).
            var since = ContinuousClock.now
            let client = try await openSession(port: port)
            for _ in 0..<3 {
                #expect(try await client.readFrame().text == "2")
                #expect(ContinuousClock.now - since >= Self.pingInterval)
                since = ContinuousClock.now
                try await client.sendText("3")
            }
            await client.close()
        }
    }
}
