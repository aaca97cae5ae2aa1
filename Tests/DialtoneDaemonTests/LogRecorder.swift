import Logging
import Synchronization

/// A log handler that keeps every entry, for tests that check what was logged.
final class LogRecorder: LogHandler, @unchecked Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var entries: [Entry] { storage.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let entry = Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
        storage.withLock { $0.append(entry) }
    }
}
