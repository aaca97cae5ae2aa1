import Logging

/// A swift-log handler that writes structured entries to the systemd journal: `MESSAGE`,
/// `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, `LOGGER` (the label),
/// `ERROR` when the call passed one, and every metadata value under a valid field name
/// (`dialtone.call.id` → `CALL_ID`, see docs/systemd.md).
///
/// A cheap value: level and metadata belong to each copy, the ``Destination`` is shared. Logging
/// never throws; an entry the journal refuses goes to stderr instead. Like every journal client,
/// a send waits while journald is too busy to take datagrams.
public struct JournalLogHandler: LogHandler {
    private let label: String
    private let destination: Destination
    private let sharedLevel: SharedLogLevel
    private var ownLevel: Logger.Level?

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// - Parameters:
    ///   - label: the logger's label, sent as `LOGGER=`.
    ///   - destination: the shared journal connection.
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
        destination.send(event: event, label: label, metadata: merged)
    }
}
