import Logging

/// A swift-log handler that writes one readable line per log call, for a daemon started by hand
/// or with `log-target` `stderr`:
/// `2025-01-31T12:00:00.000Z info dialtone.server: call ended call.id=c1 reason=hangup`.
///
/// A cheap value: level and metadata belong to each copy, the ``Destination`` is shared.
public struct StderrLogHandler: LogHandler {
    private let label: String
    private let destination: Destination
    private let sharedLevel: SharedLogLevel
    private var ownLevel: Logger.Level?

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// - Parameters:
    ///   - label: the logger's label, written before the message.
    ///   - destination: the shared stream.
    ///   - level: followed until this handler's ``logLevel`` is set.
    public init(
        label: String,
        destination: Destination,
        level: SharedLogLevel,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.destination = destination
        self.sharedLevel = level
        self.metadataProvider = metadataProvider
    }

    /// The shared level, unless set on this handler (then only this copy changes).
    public var logLevel: Logger.Level {
        get { ownLevel ?? sharedLevel.level }
        set { ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = mergedMetadata(handler: metadata, provider: metadataProvider, event: event.metadata)
        destination.writeLine(event: event, label: label, metadata: merged)
    }
}
