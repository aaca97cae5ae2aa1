import DialtoneCore
import DialtoneServer
import NIOPosix
import Synchronization
import Testing

/// A daemon that serves while it still reads its history file holds the answers drawn from the
/// history until the records are in.
@Suite("HTTP API while the history loads")
struct HTTPAPIHistoryLoadedTests {
    /// Opens once released; every waiter then goes on.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }

        var waiting: Int { state.withLock { $0.waiters.count } }

        var isOpen: Bool { state.withLock { $0.open } }

        func open() {
            let waiters = state.withLock { state in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    static func status(of path: String, port: Int) async throws -> Int {
        let client = try await TestClient(port: port)
        let response = try await client.request("GET", path)
        await client.close()
        return response.status
    }

    @Test(arguments: ["/status", "/history?userId=alice", "/metrics"])
    func answersWaitForTheHistory(path: String) async throws {
        let clock = ManualClock(Timestamp(milliseconds: 1_795_581_850_000))
        let hub = SignalingHub(
            core: SignalingCore(now: clock.now()), clock: clock, timerLoop: MultiThreadedEventLoopGroup.singleton.next())
        let gate = Gate()
        var api = HTTPAPI(hub: hub, version: "test", startedAt: clock.now(), clock: clock) { Array("metrics".utf8) }
        api.historyLoaded = HTTPRouteGate(isOpen: { gate.isOpen }, wait: { await gate.wait() })
        var router = HTTPRouter()
        api.register(in: &router)

        try await withServer(router) { port, _ in
            async let status = Self.status(of: path, port: port)
            // The request reaches the handler, which waits for the history (bounded: 10 s).
            for _ in 0..<1000 where gate.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(gate.waiting == 1)
            let health = try await TestClient(port: port)
            #expect(try await health.request("GET", "/health").status == 200)
            await health.close()

            gate.open()
            #expect(try await status == 200)
        }
    }
}
