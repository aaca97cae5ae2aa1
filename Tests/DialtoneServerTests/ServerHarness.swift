import DialtoneServer
import NIOCore
import Testing

/// Runs `body` against a server on 127.0.0.1 with a port picked by the system, and shuts the
/// server down afterwards whatever happens.
func withServer<T>(
    _ router: HTTPRouter, maxBodySize: Int = 1_000_000, outboundBufferLimit: Int = 4_000_000,
    _ body: (_ port: Int, _ server: HTTPServer) async throws -> T
) async throws -> T {
    var configuration = HTTPServer.Configuration(listeners: [.address(host: "127.0.0.1", port: 0)])
    configuration.maxBodySize = maxBodySize
    configuration.outboundBufferLimit = outboundBufferLimit
    let server = HTTPServer(configuration: configuration, router: router)
    let addresses = try await server.start()
    let port = try #require(addresses.first?.port)
    do {
        let result = try await body(port, server)
        await server.shutdown()
        return result
    } catch {
        await server.shutdown()
        throw error
    }
}

/// Something that happened on the server side, recorded by the test handlers.
actor Recorder<Event: Sendable> {
    private var events: [Event] = []

    func record(_ event: Event) { events.append(event) }

    /// Waits (bounded) until an event matches, and returns it.
    func first(timeout: Duration = .seconds(5), where matches: (Event) -> Bool) async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let event = events.first(where: matches) { return event }
            guard ContinuousClock.now < deadline else { throw TestClient.Timeout() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    var all: [Event] { events }
}
