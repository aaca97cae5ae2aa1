import Logging

/// The metadata of one log call: the handler's, then the provider's, then the call's own, later
/// ones winning, as swift-log documents for every handler.
func mergedMetadata(
    handler: Logger.Metadata,
    provider: Logger.MetadataProvider?,
    event: Logger.Metadata?
) -> Logger.Metadata {
    var merged = handler
    if let provided = provider?.get(), !provided.isEmpty {
        merged.merge(provided) { _, new in new }
    }
    if let event, !event.isEmpty {
        merged.merge(event) { _, new in new }
    }
    return merged
}
