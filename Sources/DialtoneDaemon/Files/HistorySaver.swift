import Logging
import ServiceLifecycle

/// Saves the history file every `interval` when it changed, and once more on graceful shutdown.
///
/// Place it before the servers in a `ServiceGroup`: services stop in reverse order, so the last
/// save then sees every call the servers ended while stopping.
public actor HistorySaver: Service {
    /// What to save: the state's change counter, and a way to encode the state as of that counter.
    /// Encoding is deferred so an unchanged state costs nothing.
    public struct Snapshot: Sendable {
        public var version: UInt64
        public var bytes: @Sendable () throws -> [UInt8]

        public init(version: UInt64, bytes: @escaping @Sendable () throws -> [UInt8]) {
            self.version = version
            self.bytes = bytes
        }
    }

    private let store: HistoryStore
    private let interval: Duration
    private let logger: Logger
    private let snapshot: @Sendable () async -> Snapshot
    private var savedVersion: UInt64?

    /// - Parameters:
    ///   - interval: The time between checks (`history-save-interval`).
    ///   - savedVersion: The version already on disk (the one just loaded), or `nil` to save at
    ///     the first check whatever the version.
    ///   - snapshot: Asked at every check; versions must only grow.
    public init(
        store: HistoryStore,
        interval: Duration,
        savedVersion: UInt64? = nil,
        logger: Logger,
        snapshot: @escaping @Sendable () async -> Snapshot
    ) {
        self.store = store
        self.interval = interval
        self.savedVersion = savedVersion
        self.logger = logger
        self.snapshot = snapshot
    }

    public func run() async throws {
        let interval = self.interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await saveIfChanged()
        }
        await saveIfChanged()
    }

    /// One periodic check: saves when the version moved since the last save. Failures are
    /// logged and retried at the next check.
    ///
    /// - Returns: Whether the file was written.
    @discardableResult
    public func saveIfChanged() async -> Bool {
        do {
            return try await save(force: false)
        } catch {
            logger.error(
                "cannot save the history file; will retry",
                metadata: ["dialtone.file": "\(store.path)", "dialtone.error": "\(error)"]
            )
            return false
        }
    }

    /// Saves now whether or not anything changed (`history.save` on the control interface).
    public func saveNow() async throws {
        try await save(force: true)
    }

    @discardableResult
    private func save(force: Bool) async throws -> Bool {
        let current = await snapshot()
        // The actor may have saved a newer snapshot while this one was being fetched.
        if let savedVersion, force ? savedVersion > current.version : savedVersion >= current.version {
            return false
        }
        try store.save(try current.bytes())
        savedVersion = current.version
        logger.debug(
            "saved the history file",
            metadata: ["dialtone.file": "\(store.path)", "dialtone.history.version": "\(current.version)"]
        )
        return true
    }
}
