import ArgumentParser
import DialtoneServer
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The reference server of Socket.IO's published protocol test suites, on dialtone's own
/// Engine.IO and Socket.IO stack: an Engine.IO echo server at `/engine.io/` and the Socket.IO
/// test server at `/socket.io/`, both with the suites' 300 ms / 200 ms heartbeat.
@main
struct SIOConformance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sio-conformance",
        abstract: "Serve the Engine.IO v4 and Socket.IO v5 test-suite reference servers.")

    @Option(help: "The TCP port to listen on (0 picks a free one).")
    var port: Int = 3000

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    func run() async throws {
        var engineConfiguration = EngineIOServer.Configuration(path: "/engine.io/")
        Self.applyTestTimings(&engineConfiguration)
        let echo = EngineIOServer(configuration: engineConfiguration, application: EchoApplication())

        var socketConfiguration = SocketIOServer.Configuration()
        Self.applyTestTimings(&socketConfiguration.engine)
        socketConfiguration.connectTimeout = .milliseconds(1000)
        let socketIO = SocketIOServer(configuration: socketConfiguration)
        socketIO.register("/", handler: ReferenceNamespace())
        socketIO.register("/custom", handler: ReferenceNamespace())

        var router = HTTPRouter()
        router.mount(echo)
        router.mount(socketIO.engine)
        let server = HTTPServer(configuration: .init(listeners: [.address(host: host, port: port)]), router: router)
        let addresses = try await server.start()
        // Test harnesses wait for this line (and read the port from it when started with port 0).
        print("listening on \(addresses.first?.port ?? port)")
        fflush(nil)
        try await server.run()
    }

    private static func applyTestTimings(_ configuration: inout EngineIOServer.Configuration) {
        configuration.pingInterval = .milliseconds(300)
        configuration.pingTimeout = .milliseconds(200)
        configuration.maxPayload = 1_000_000
        configuration.cors = .anyOrigin
    }
}
