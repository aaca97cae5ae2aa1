import CSystemd
import NIOCore
import ServiceLifecycle

/// Pings systemd's watchdog (`WatchdogSec=`) every half `WATCHDOG_USEC`, but only after every
/// event loop of the group has run a task in that round: a stuck event loop, or a stalled Swift
/// concurrency pool, stops the pings and systemd restarts the daemon.
///
/// List it first in the `ServiceGroup`: services stop in reverse order, so it keeps pinging while
/// the others shut down. It stops on graceful shutdown or cancellation.
public struct SystemdWatchdog: Service {
    /// Time between pings.
    public let interval: Duration
    private let eventLoopGroup: any EventLoopGroup
    private let ping: @Sendable () -> Void

    /// - Parameters:
    ///   - interval: time between pings.
    ///   - eventLoopGroup: every loop of it must answer before each ping.
    ///   - ping: sends one ping; ``SystemdNotifier/watchdog()`` in the daemon.
    public init(interval: Duration, eventLoopGroup: any EventLoopGroup, ping: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.eventLoopGroup = eventLoopGroup
        self.ping = ping
    }

    /// The watchdog systemd asked for, or `nil` when `WATCHDOG_USEC` is unset or `WATCHDOG_PID`
    /// names another process (then nothing must be sent).
    public static func fromEnvironment(notifier: SystemdNotifier, eventLoopGroup: any EventLoopGroup) -> SystemdWatchdog? {
        var timeout: UInt64 = 0
        guard sd_watchdog_enabled(0, &timeout) > 0, timeout > 0 else { return nil }
        // Half the timeout, as sd_watchdog_enabled(3) recommends, leaves a whole ping of slack.
        return SystemdWatchdog(interval: .microseconds(timeout / 2), eventLoopGroup: eventLoopGroup, ping: notifier.watchdog)
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.pingUntilCancelled() }
        } catch is CancellationError {
            return
        }
    }

    private func pingUntilCancelled() async throws {
        while true {
            for eventLoop in eventLoopGroup.makeIterator() {
                try await eventLoop.submit {}.get()
            }
            try Task.checkCancellation()
            ping()
            try await Task.sleep(for: interval)
        }
    }
}
