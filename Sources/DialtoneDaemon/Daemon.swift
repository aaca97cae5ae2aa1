import Logging
import ServiceLifecycle

/// One running dialtone daemon.
public enum Daemon {
    /// Runs the daemon with validated settings until SIGTERM or SIGINT asks it to stop.
    public static func run(settings: Settings, logger: Logger) async throws {
        logger.info(
            "dialtoned \(DialtoneVersion.current) started; the transports are not wired in yet",
            metadata: ["dialtone.listen": "\(settings.listen.map(\.description).joined(separator: ", "))"]
        )
        let group = ServiceGroup(
            services: [UntilShutdown()],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        logger.info("dialtoned stopped")
    }
}

/// Keeps the group running until a shutdown signal arrives.
private struct UntilShutdown: Service {
    func run() async throws {
        try await gracefulShutdown()
    }
}
