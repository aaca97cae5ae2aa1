import DialtoneControl
import Foundation
import Logging
import NIOPosix

/// A directory for a test's socket, short enough for `sun_path`.
func makeSocketDirectory() throws -> String {
    var template = Array("/tmp/dtc-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
    return String(cString: path)
}

/// Runs a real control server on a fresh socket path with `backend`, hands `body` the path,
/// and stops the server afterwards.
func withControlServer(
    backend: TestBackend = TestBackend(),
    logger: Logger = Logger(label: "dialtone.control.test", factory: { _ in SwiftLogNoOpLogHandler() }),
    configure: (inout ControlServer.Configuration) -> Void = { _ in },
    _ body: (String) async throws -> Void
) async throws {
    let directory = try makeSocketDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/control.sock"
    var configuration = ControlServer.Configuration(listener: .path(path))
    configuration.version = "1.2.3-test"
    configure(&configuration)
    let server = try await ControlServer.bind(configuration: configuration, backend: backend, logger: logger)
    try await serve(server) { try await body(path) }
}

/// Runs `server` while `body` runs, then cancels it and waits for it to finish.
func serve(_ server: ControlServer, _ body: () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            try await body()
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
        try await group.waitForAll()
    }
}
