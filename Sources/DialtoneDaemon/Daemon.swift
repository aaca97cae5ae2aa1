import DialtoneControl
import DialtoneCore
import DialtoneServer
import DialtoneSystemd
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle

/// One running dialtone daemon.
public enum Daemon {
    /// Runs the daemon with validated settings until SIGTERM or SIGINT asks it to stop; then
    /// stops accepting, closes connections, and saves history and live calls.
    public static func run(settings: Settings) async throws {
        let logLevel = SharedLogLevel(settings.logLevel)
        LoggingSystem.bootstrap(settings.logTarget.makeLogHandlerFactory(level: logLevel))
        let logger = Logger(label: "dialtoned")
        let notifier = SystemdNotifier(logger: logger)
        let passed = try SystemdListeners.fromEnvironment()
        try settings.checkPassedListeners(passed.http)

        let clock = SystemClock()
        let store = try HistoryStore(directory: settings.stateDirectory, logger: logger)
        // Only the live calls are read before serving: devices reconnect to them at once. The ended
        // calls are read once the daemon serves, by `history` below.
        var opened = try store.load(parse: HistoryDocument.opening) ?? .empty
        let startedAt = clock.now()
        let core = SignalingCore(configuration: settings.coreConfiguration, restoring: opened.live, now: startedAt)
        logger.info("live calls restored", metadata: ["dialtone.history.live": "\(opened.live.count)"])

        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))
        LimitRejection.registerMetrics()

        let eventLoopCount = settings.eventLoopCount
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoopCount)
        logger.info("event loops started", metadata: ["dialtone.eventloops": "\(eventLoopCount)"])
        let events = CallEventLog(logger: logger)
        let feed = ControlEventFeed()
        let hub = SignalingHub(core: core, clock: clock, timerLoop: group.next()) { observations in
            events.record(observations)
            feed.publish(observations, at: clock.now())
        }
        let history = HistoryLoad(calls: opened.calls, store: store, hub: hub, logger: logger)
        // The file's bytes (tens of megabytes for a long history) go once the records are in the core.
        opened.calls = .none
        let gauges = StatusGauges()

        let authenticator = settings.auth.authenticator(clock: clock)
        var router = HTTPRouter()
        var api = HTTPAPI(
            hub: hub, version: DialtoneVersion.current, startedAt: startedAt, clock: clock, authenticator: authenticator
        ) {
            gauges.update(from: hub.read { $0.status })
            return metrics.emitToBuffer()
        }
        api.historyLoaded = HTTPRouteGate(isOpen: { history.isLoaded }, wait: { try? await history.loaded() })
        api.register(in: &router)
        router.webSocket("/ws") { request, connection in
            DeviceWebSocket(
                request: request, connection: connection, hub: hub, authenticator: authenticator,
                rateLimit: settings.deviceRateLimit)
        }
        let socketIO = SocketIOServer(configuration: settings.socketIOConfiguration, logger: logger)
        let namespace = SignalingNamespace(hub: hub, authenticator: authenticator, rateLimit: settings.deviceRateLimit)
        socketIO.register("/", handler: namespace)
        router.mount(socketIO.engine)

        // A name systemd passed is served only through its descriptors: binding it again from the
        // settings would make a second, unmanaged listener.
        var serverConfiguration = HTTPServer.Configuration(
            listeners: passed.http.isEmpty
                ? settings.listen.map { .address(host: $0.host, port: $0.port) }
                : passed.http.map { .socket($0.fd) })
        serverConfiguration.maxBodySize = settings.maxPayload
        serverConfiguration.limits = settings.connectionLimits
        let server = HTTPServer(configuration: serverConfiguration, router: router, group: group, logger: logger)

        let saver = HistorySaver(store: store, interval: settings.historySaveInterval, logger: logger) {
            await history.snapshot()
        }
        let reloader = Reloader(settings: settings, hub: hub, logLevel: logLevel, notifier: notifier, logger: logger)

        let backend = DaemonControlBackend(
            hub: hub, saver: saver, historyPath: store.path, version: DialtoneVersion.current, startedAt: startedAt,
            clock: clock, reloader: reloader, level: logLevel, feed: feed, history: history)
        // Like the http name, a passed control socket is the only one: no second bind, no unlink.
        var controlConfiguration = ControlServer.Configuration(
            listener: passed.control.first.map { .descriptor($0.fd) } ?? .path(settings.controlSocket))
        controlConfiguration.maxLineBytes = settings.maxPayload
        controlConfiguration.version = DialtoneVersion.current
        let control = controlConfiguration
        let status = StatusReporter(hub: hub, notifier: notifier)
        let listeners = Listeners(server: server, history: history, logger: logger) {
            let server = try await ControlServer.bind(
                configuration: control, backend: backend, eventLoopGroup: group, logger: logger)
            logger.info("serving the control interface", metadata: ["dialtone.control": "\(control.listener)"])
            return server
        } ready: {
            notifier.ready(status: status.line())
        }

        // Services stop in reverse order: STOPPING=1 goes out first, then the server closes every
        // connection, so the saver's last save sees the calls as the stop left them; the watchdog
        // keeps pinging until the very end.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let watchdog = SystemdWatchdog.fromEnvironment(notifier: notifier, eventLoopGroup: group) {
            services.append(.init(service: watchdog))
        }
        services.append(.init(service: saver))
        if notifier.isEnabled { services.append(.init(service: status)) }
        services += [
            .init(service: reloader),
            .init(service: listeners),
            .init(service: StoppingNotice(notifier: notifier)),
        ]
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await serviceGroup.run()
        try await group.shutdownGracefully()
        logger.info("dialtoned stopped")
    }
}

/// Binds the device and control listeners, tells systemd the daemon is ready, and then begins
/// reading the ended calls of the history file (so that reading them does not slow the start). As
/// a service it binds only once the group traps SIGTERM and SIGINT, so a stop that comes as soon as
/// the sockets answer is still a graceful one (history saved, exit 0).
private struct Listeners: Service {
    let server: HTTPServer
    let history: HistoryLoad
    let logger: Logger
    let bindControl: @Sendable () async throws -> ControlServer
    let ready: @Sendable () -> Void

    func run() async throws {
        let control = try await bindControl()
        for address in try await server.start() {
            logger.info("serving devices and HTTP", metadata: ["dialtone.listen": "\(address)"])
        }
        ready()
        history.start()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.run() }
            group.addTask { try await control.run() }
        }
    }
}

/// Tells systemd the stop has begun, before anything else stops.
private struct StoppingNotice: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping()
    }
}
