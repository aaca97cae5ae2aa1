import Logging

/// Where a ``DestinationLogHandler`` sends each entry: shared by every handler of the process, so
/// it must be safe to call from any thread.
public protocol LogDestination: Sendable {
    /// Writes one entry; never throws, because logging must never stop the daemon.
    func emit(event: LogEvent, label: String, metadata: Logger.Metadata)
}
