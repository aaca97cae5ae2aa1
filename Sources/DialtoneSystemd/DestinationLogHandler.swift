import Logging

/// The swift-log handler dialtoned uses for every logger: level and metadata handling, with the
/// entry itself left to a shared ``LogDestination`` (the journal or a stream).
///
/// A cheap value: level and metadata belong to each copy, the destination is shared.
public struct DestinationLogHandler: LogHandler {
    private let label: String
    private let destination: any LogDestination
    private let sharedLevel: SharedLogLevel
    private var ownLevel: Logger.Level?

    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// - Parameters:
    ///   - label: the logger's label (`LOGGER=` in the journal, before the message on a stream).
    ///   - destination: where entries go, shared by all handlers.
    ///   - level: followed until this handler's ``logLevel`` is set.
    public init(
        label: String,
        destination: any LogDestination,
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
        destination.emit(event: event, label: label, metadata: merged)
    }
}
