import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reports the daemon's state to systemd (`Type=notify`) through `sd_notify`.
///
/// When `NOTIFY_SOCKET` is unset (started by hand) every method does nothing, so callers never
/// need to ask whether systemd is listening.
public struct SystemdNotifier: Sendable {
    /// Whether systemd (or another supervisor) gave this process a notification socket.
    public let isEnabled: Bool
    private let logger: Logger?

    /// - Parameter logger: where a failed notification is reported; such a failure is never thrown,
    ///   because a daemon that serves well must not stop over it.
    public init(logger: Logger? = nil) {
        self.isEnabled = getenv("NOTIFY_SOCKET") != nil
        self.logger = logger
    }

    /// `READY=1`: every listener serves. Call again after a reload.
    /// - Parameter status: a one-line `STATUS=` sent in the same datagram, if given.
    public func ready(status: String? = nil) {
        send(["READY=1"] + (status.map { [Self.statusAssignment($0)] } ?? []))
    }

    /// `STATUS=`: the one-line summary `systemctl status` shows. Control characters become spaces,
    /// so text can never add a second assignment such as `READY=1`.
    public func status(_ text: String) {
        send([Self.statusAssignment(text)])
    }

    /// `RELOADING=1` with the `MONOTONIC_USEC=` systemd requires; send ``ready(status:)`` when done.
    public func reloading() {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// `STOPPING=1`: graceful shutdown has begun.
    public func stopping() {
        send(["STOPPING=1"])
    }

    /// `WATCHDOG=1`: the daemon is alive. ``SystemdWatchdog`` sends these on schedule.
    public func watchdog() {
        send(["WATCHDOG=1"])
    }

    private func send(_ assignments: [String]) {
        guard isEnabled else { return }
        let result = sd_notify(0, assignments.joined(separator: "\n"))
        if result < 0 {
            logger?.warning(
                "systemd notification failed",
                metadata: ["dialtone.notification": "\(assignments.first ?? "")", "dialtone.error": "\(errnoDescription(-result))"]
            )
        }
    }

    static func statusAssignment(_ text: String) -> String {
        let oneLine = text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : String($0) }.joined()
        return "STATUS=" + oneLine
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
