import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The control socket: JSON-RPC 2.0, one JSON value per line, for host tools.
///
/// ``bind(configuration:backend:eventLoopGroup:logger:)`` opens the socket, so a daemon can
/// fail before announcing readiness; ``run()`` serves until graceful shutdown or cancellation
/// and then removes the socket file it created.
public final class ControlServer: Service, Sendable {
    private typealias Connection = (channel: NIOAsyncChannel<ControlFrame, Never>, peer: PeerCredentials?)

    private let listener: NIOAsyncChannel<Connection, Never>
    private let configuration: Configuration
    private let backend: any ControlBackend
    private let dispatcher: ControlDispatcher
    private let logger: Logger
    private let socketFile: (path: String, identity: (device: UInt64, inode: UInt64)?)?

    /// The path clients connect to, when bound by path.
    public var socketPath: String? { socketFile?.path }

    private init(
        listener: NIOAsyncChannel<Connection, Never>,
        configuration: Configuration,
        backend: any ControlBackend,
        logger: Logger,
        socketFile: (path: String, identity: (device: UInt64, inode: UInt64)?)?
    ) {
        self.listener = listener
        self.configuration = configuration
        self.backend = backend
        self.dispatcher = ControlDispatcher(backend: backend, version: configuration.version, logger: logger)
        self.logger = logger
        self.socketFile = socketFile
    }

    /// Opens the control socket: binds the path (replacing a stale socket file, refusing a
    /// live one) or adopts the given descriptor.
    public static func bind(
        configuration: Configuration,
        backend: any ControlBackend,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> ControlServer {
        let maxLineBytes = configuration.maxLineBytes
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 64)
            // A client may send its requests and shut its side (`… | socat`); it still gets its answers.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        let initializer: @Sendable (Channel) -> EventLoopFuture<Connection> = { channel in
            PeerCredentials.read(from: channel).flatMapThrowing { peer in
                try channel.pipeline.syncOperations.addHandler(
                    ByteToMessageHandler(ControlLineDecoder(maxLineBytes: maxLineBytes)))
                return (try NIOAsyncChannel(wrappingChannelSynchronously: channel), peer)
            }
        }
        switch configuration.listener {
        case .path(let path):
            try ControlSocketFile.removeIfStale(path)
            let listener = try await bootstrap.bind(
                unixDomainSocketPath: path, childChannelInitializer: initializer)
            do {
                if let warning = try ControlSocketFile.secure(
                    path, mode: configuration.socketMode, group: configuration.socketGroup)
                {
                    logger.warning("\(warning)")
                }
            } catch {
                try? await listener.channel.close()
                throw error
            }
            logger.debug("control socket listening", metadata: ["dialtone.control.socket": "\(path)"])
            return ControlServer(
                listener: listener, configuration: configuration, backend: backend, logger: logger,
                socketFile: (path, ControlSocketFile.identity(path)))
        case .descriptor(let descriptor):
            let listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            logger.debug("control socket adopted", metadata: ["dialtone.control.fd": "\(descriptor)"])
            return ControlServer(
                listener: listener, configuration: configuration, backend: backend, logger: logger, socketFile: nil)
        }
    }

    /// Serves connections until graceful shutdown or cancellation, then closes them all.
    public func run() async throws {
        // Every connection has ended by the time `serve` returns, and with the last one the
        // hub's backend subscription.
        let hub = ControlEventHub { [backend] in backend.subscribeEvents($0) }
        defer {
            if let socketFile { ControlSocketFile.remove(socketFile.path, ifStill: socketFile.identity) }
        }
        let listener = self.listener
        do {
            try await serve(listener, hub: hub)
        } catch is CancellationError {
            // Asked to stop (graceful shutdown or cancellation): that is how this service ends.
        }
    }

    private func serve(_ listener: NIOAsyncChannel<Connection, Never>, hub: ControlEventHub) async throws {
        try await cancelWhenGracefulShutdown {
            try await withTaskCancellationHandler {
                try await withThrowingDiscardingTaskGroup { group in
                    try await listener.executeThenClose { connections in
                        for try await connection in connections {
                            let session = ControlConnection(
                                channel: connection.channel, peer: connection.peer, dispatcher: self.dispatcher,
                                hub: hub, configuration: self.configuration, logger: self.logger)
                            group.addTask { await session.run() }
                        }
                    }
                }
            } onCancel: {
                listener.channel.close(promise: nil)
            }
        }
    }
}
