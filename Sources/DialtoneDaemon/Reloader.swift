import DialtoneServer
import DialtoneSystemd
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Re-reads the config file on SIGHUP (and for `config.reload`) and applies what can change while
/// running: timers, history limit, ICE servers and the log level. Listeners and paths need a
/// restart; a reload that changes them says so.
final class Reloader: Service, Sendable {
    private let current: Mutex<Settings>
    private let hub: SignalingHub
    private let logLevel: SharedLogLevel
    private let notifier: SystemdNotifier
    private let logger: Logger

    init(settings: Settings, hub: SignalingHub, logLevel: SharedLogLevel, notifier: SystemdNotifier, logger: Logger) {
        self.current = Mutex(settings)
        self.hub = hub
        self.logLevel = logLevel
        self.notifier = notifier
        self.logger = logger
    }

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            do {
                try reload()
            } catch {
                for problem in error.problems { logger.error("config reload refused: \(problem)") }
            }
        }
    }

    /// Applies the config file as it is now; on a bad file nothing changes.
    func reload() throws(SettingsError) {
        notifier.reloading()
        defer { notifier.ready() }
        let previous = current.withLock { $0 }
        let next = try previous.reloaded()
        hub.apply { core, _ in
            core.reconfigure(next.coreConfiguration)
            return .init()
        }
        logLevel.level = next.logLevel
        current.withLock { $0 = next }
        if next.needsRestart(comparedTo: previous) {
            logger.warning("config reloaded; listeners, paths and auth changes take effect after a restart")
        } else {
            logger.info("config reloaded")
        }
    }
}
