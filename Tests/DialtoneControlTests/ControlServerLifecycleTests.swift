import DialtoneControl
import Foundation
import Logging
import ServiceLifecycleTestKit
import Testing

/// The server as a service: a graceful shutdown is a normal end, not an error (a daemon whose
/// service group sees an error exits non-zero).
@Suite(.timeLimit(.minutes(1))) struct ControlServerLifecycleTests {
    @Test func gracefulShutdownClosesConnectionsAndReturns() async throws {
        let directory = try makeSocketDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/control.sock"
        let server = try await ControlServer.bind(
            configuration: .init(listener: .path(path)), backend: TestBackend(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                try await TestClient.with(path) { client in
                    let answer = try await client.call(#"{"jsonrpc":"2.0","id":1,"method":"events.subscribe"}"#)
                    #expect(answer["id"] == 1)
                    trigger.triggerGracefulShutdown()
                    // Even a subscriber, which the server would otherwise keep, is closed.
                    #expect(try await client.readLine() == nil)
                }
                // `run()` returns instead of throwing.
                try await group.waitForAll()
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
