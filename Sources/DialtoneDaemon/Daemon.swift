import DialtoneCore
import DialtoneServer
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
    public static func run(settings: Settings, logger: Logger) async throws {
        let clock = SystemClock()
        let store = try HistoryStore(directory: settings.stateDirectory, logger: logger)
        let document = try store.load(parse: HistoryDocument.init(parsing:)) ?? HistoryDocument()
        let startedAt = clock.now()
        let core = SignalingCore(
            configuration: settings.coreConfiguration, history: document.calls, restoring: document.live, now: startedAt)
        logger.info(
            "history loaded",
            metadata: ["dialtone.history.calls": "\(document.calls.count)", "dialtone.history.live": "\(document.live.count)"])

        let metrics = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let events = CallEventLog(logger: logger)
        let hub = SignalingHub(core: core, clock: clock, timerLoop: group.next(), observe: events.record)
        let gauges = StatusGauges()

        var router = HTTPRouter()
        HTTPAPI(hub: hub, version: DialtoneVersion.current, startedAt: startedAt, clock: clock) {
            gauges.update(from: hub.read { $0.status })
            return metrics.emitToBuffer()
        }.register(in: &router)
        router.webSocket("/ws") { request, connection in
            DeviceWebSocket(request: request, connection: connection, hub: hub)
        }
        let socketIO = SocketIOServer(configuration: settings.socketIOConfiguration, logger: logger)
        socketIO.register("/", handler: SignalingNamespace(hub: hub))
        router.mount(socketIO.engine)

        var serverConfiguration = HTTPServer.Configuration(
            listeners: settings.listen.map { .address(host: $0.host, port: $0.port) })
        serverConfiguration.maxBodySize = settings.maxPayload
        let server = HTTPServer(configuration: serverConfiguration, router: router, group: group, logger: logger)

        let saver = HistorySaver(store: store, interval: settings.historySaveInterval, logger: logger) {
            let (version, calls, live) = hub.read { ($0.historyVersion, $0.historyRecords, $0.persistableLiveCalls()) }
            return HistorySaver.Snapshot(version: version) { try HistoryDocument(calls: calls, live: live).encoded() }
        }

        // Services stop in reverse order: the server closes every connection first, so the
        // saver's last save sees the calls as the stop left them.
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: saver),
                    .init(service: server),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await services.run()
        try await group.shutdownGracefully()
        logger.info("dialtoned stopped")
    }
}
