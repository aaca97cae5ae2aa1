import DialtoneServer
import DialtoneSystemd
import ServiceLifecycle

/// Keeps systemd's one-line `STATUS=` current (what `systemctl status` shows).
struct StatusReporter: Service {
    let hub: SignalingHub
    let notifier: SystemdNotifier
    var interval: Duration = .seconds(5)

    func line() -> String {
        let status = hub.read { $0.status }
        return "\(status.connectedDevices) devices, \(status.ringingCalls) ringing, \(status.activeCalls) active calls"
    }

    /// Run it only under systemd (`notifier.isEnabled`): a service group treats a service that
    /// returns early as failed.
    func run() async throws {
        var sent = line()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let current = line()
            if current != sent {
                notifier.status(current)
                sent = current
            }
        }
    }
}
