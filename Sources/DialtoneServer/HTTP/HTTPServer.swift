import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The HTTP/1.1 listener of dialtone: plain routes, Engine.IO endpoints and WebSocket routes on
/// one or more listening sockets, which it binds itself or adopts (from systemd).
///
/// `start()` binds; `shutdown()` stops accepting, closes every Engine.IO session and then every
/// connection. `run()` does both around a wait, as a swift-service-lifecycle `Service`.
public final class HTTPServer: Sendable {
    /// What connections share: the routes, the limits and the set of open connections.
    final class Shared: Sendable {
        let router: HTTPRouter
        let configuration: Configuration
        let logger: Logger
        let connections = Mutex([ObjectIdentifier: any Channel]())
        let connectionCounter: ConnectionCounter
        /// The request and idle clocks of each event loop's connections.
        private let guardTimers = Mutex([ObjectIdentifier: LoopTimerWheel<HTTPConnectionGuard>]())

        init(router: HTTPRouter, configuration: Configuration, logger: Logger) {
            self.router = router
            self.configuration = configuration
            self.logger = logger
            self.connectionCounter = ConnectionCounter(
                maxTotal: configuration.limits.maxConnections,
                maxPerAddress: configuration.limits.maxConnectionsPerAddress)
        }

        func guardTimers(for eventLoop: any EventLoop) -> LoopTimerWheel<HTTPConnectionGuard> {
            guardTimers.withLock { wheels in
                if let wheel = wheels[ObjectIdentifier(eventLoop)] { return wheel }
                let limits = configuration.limits
                let timeouts = [limits.requestTimeout, limits.idleTimeout].compactMap { $0 }
                // Clocks are up to a tick late: 100 ms, or a tenth of the shortest timeout.
                let wheel = LoopTimerWheel<HTTPConnectionGuard>(
                    eventLoop: eventLoop, tick: min(.milliseconds(100), (timeouts.min() ?? .zero) / 10),
                    horizon: timeouts.max() ?? .zero)
                wheels[ObjectIdentifier(eventLoop)] = wheel
                return wheel
            }
        }
    }

    private enum State {
        case idle
        case running([any Channel])
        case stopped
    }

    private let shared: Shared
    private let group: any EventLoopGroup
    private let state = Mutex(State.idle)
    private let stopped = StopSignal()

    public init(
        configuration: Configuration, router: HTTPRouter,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "dialtone.http")
    ) {
        self.shared = Shared(router: router, configuration: configuration, logger: logger)
        self.group = group
    }

    public var configuration: Configuration { shared.configuration }

    /// Binds or adopts every listener and starts accepting. Returns the local address of each
    /// listener, in order (a port of 0 shows the port the system picked). If one listener
    /// fails, those already bound are closed and the error is thrown.
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        try state.withLock { state in
            switch state {
            case .idle: state = .running([])
            case .running: throw HTTPServerError.alreadyStarted
            case .stopped: throw HTTPServerError.alreadyStopped
            }
        }
        var channels: [any Channel] = []
        do {
            for listener in shared.configuration.listeners {
                channels.append(try await bind(listener))
            }
        } catch {
            for channel in channels { try? await channel.close() }
            state.withLock { $0 = .stopped }
            stopped.signal()
            throw error
        }
        let stillRunning = state.withLock { state in
            guard case .running = state else { return false }
            state = .running(channels)
            return true
        }
        if !stillRunning {
            for channel in channels { try? await channel.close() }
            throw HTTPServerError.alreadyStopped
        }
        return channels.compactMap(\.localAddress)
    }

    /// The local address of each listener while running.
    public var localAddresses: [SocketAddress] {
        state.withLock { state in
            guard case .running(let channels) = state else { return [] }
            return channels.compactMap(\.localAddress)
        }
    }

    private func bind(_ listener: Listener) async throws -> any Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: shared.configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            // NIO keeps each connection's last receive buffer for reuse, idle or not. Signaling
            // messages are small, so start at 256 bytes (NIO's default is 2,048) and let the
            // adaptive allocator grow for the connections that send more.
            .childChannelOption(
                .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536)
            )
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(
                    low: shared.configuration.outboundBufferLimit / 2, high: shared.configuration.outboundBufferLimit)
            )
            .childChannelInitializer { [shared] channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configure(channel, shared: shared)
                }
            }
        switch listener {
        case .address(let host, let port):
            return try await bootstrap.bind(host: host, port: port).get()
        case .socket(let descriptor):
            return try await bootstrap.withBoundSocket(descriptor).get()
        }
    }

    /// Sets `channel` up as each accepted connection is set up. `package` for the HTTP fuzz target,
    /// which drives the whole stack, from request bytes to the signaling core, over an
    /// `EmbeddedChannel`.
    package func configureConnection(_ channel: any Channel) throws {
        try Self.configure(channel, shared: shared)
    }

    private static func configure(_ channel: any Channel, shared: Shared) throws {
        let address = channel.remoteAddress?.ipAddress
        if case .refused(let limit) = shared.connectionCounter.admit(address) {
            try channel.pipeline.syncOperations.addHandler(ConnectionRefusal(limit, logger: shared.logger))
            return
        }
        channel.closeFuture.whenComplete { _ in shared.connectionCounter.release(address) }
        let limits = shared.configuration.limits
        let handlers = HTTPConnectionHandler.HTTPHandlers(
            timeouts: HTTPConnectionGuard.isNeeded(for: limits)
                ? HTTPConnectionGuard(
                    limits: limits, logger: shared.logger, timers: shared.guardTimers(for: channel.eventLoop)) : nil,
            encoder: HTTPResponseEncoder(),
            decoder: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)),
            pipelining: HTTPServerPipelineHandler(),
            errors: HTTPServerProtocolErrorHandler())
        try channel.pipeline.syncOperations.addHandlers(
            [handlers.timeouts].compactMap { $0 } + [
                handlers.encoder, handlers.decoder, handlers.pipelining, handlers.errors,
                HTTPConnectionHandler(server: shared, handlers: handlers),
            ])
        let key = ObjectIdentifier(channel)
        shared.connections.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { _ in
            shared.connections.withLock { _ = $0.removeValue(forKey: key) }
        }
    }

    /// Stops accepting, closes every Engine.IO session (so clients see a clean close), asks
    /// every connection to finish (HTTP ones after their current response, WebSocket ones with
    /// a close frame), and closes whatever is still open after `shutdownGracePeriod`. Safe to
    /// call more than once and before `start()`.
    public func shutdown() async {
        let listeners: [any Channel] = state.withLock { state in
            defer { state = .stopped }
            if case .running(let channels) = state { return channels }
            return []
        }
        for channel in listeners { try? await channel.close() }
        for engine in shared.router.engines { engine.closeAllSessions() }
        let connections = shared.connections.withLock { Array($0.values) }
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let loop = group.any()
        let finished = loop.makePromise(of: Void.self)
        EventLoopFuture.andAllComplete(connections.map(\.closeFuture), on: loop).cascade(to: finished)
        let grace = loop.scheduleTask(in: shared.configuration.shutdownGracePeriod.timeAmount) { finished.succeed() }
        try? await finished.futureResult.get()
        grace.cancel()
        for connection in shared.connections.withLock({ Array($0.values) }) { try? await connection.close() }
        stopped.signal()
    }

    /// Starts (if needed) and waits until ``shutdown()``. A graceful shutdown of the
    /// swift-service-lifecycle `ServiceGroup` running it, or cancelling the calling task, shuts
    /// down too.
    public func run() async throws {
        if state.withLock({ if case .idle = $0 { return true } else { return false } }) {
            try await start()
        }
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await stopped.wait()
            } onCancel: {
                Task { await self.shutdown() }
            }
        } onGracefulShutdown: {
            Task { await self.shutdown() }
        }
    }
}

extension HTTPServer: Service {}

/// Why the server could not start.
public struct HTTPServerError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case alreadyStarted
        case alreadyStopped
    }

    private let kind: Kind

    public static let alreadyStarted = HTTPServerError(kind: .alreadyStarted)
    public static let alreadyStopped = HTTPServerError(kind: .alreadyStopped)

    public var description: String {
        switch kind {
        case .alreadyStarted: "the HTTP server was already started"
        case .alreadyStopped: "the HTTP server was already stopped"
        }
    }
}
