import DialtoneCore
import DialtoneServer
import Logging
import ServiceLifecycle

/// The ended calls of `history.json`, read while the daemon already serves and merged into the
/// core in one step, in front of the calls ended meanwhile: a 100,000-record file takes longer to
/// read than a start should. The live calls were restored before the daemon served (devices
/// reconnect to them at once); the ended ones are only read by queries and saves, and those await
/// ``loaded()`` first, so none sees a history without its older records.
///
/// As a service it ends the daemon when the file turned out unreadable and could not be moved
/// aside, as a start would have been refused.
final class HistoryLoad: Service {
    private let task: Task<Void, any Error>
    private let hub: SignalingHub

    /// Starts reading at once, on a task of its own (off the event loops).
    ///
    /// - Parameters:
    ///   - read: Reads the records, oldest first (``UnreadCallRecords/read()``). When it throws,
    ///     the file is moved aside (``HistoryStore/moveAside(unreadable:)``) and the history holds
    ///     only the calls ended since the start, as after a start with a corrupt file.
    ///   - hub: The core's owner, which gets the records.
    init(
        reading read: @escaping @Sendable () throws -> [CallRecord], store: HistoryStore, hub: SignalingHub,
        logger: Logger
    ) {
        self.hub = hub
        task = Task {
            let records: [CallRecord]
            do {
                records = try read()
            } catch {
                try store.moveAside(unreadable: error)
                return
            }
            var loaded: SignalingCore.LoadedHistory? = SignalingCore.LoadedHistory(records)
            let count = loaded?.count ?? 0
            var displaced: [String] = []
            hub.apply { core, _ in
                // Taken out of the optional so the core gets the only reference: no copy under the lock.
                if let history = loaded.take() { displaced = core.mergeLoadedHistory(history) }
                return Outcome()
            }
            logger.info("history loaded", metadata: ["dialtone.history.calls": "\(count)"])
            if !displaced.isEmpty {
                logger.warning(
                    "history records dropped: their call ids were used again while the file was read",
                    metadata: ["dialtone.history.dropped": "\(displaced.joined(separator: ","))"])
            }
        }
    }

    /// Returns once the records are in the core, or the file was moved aside.
    ///
    /// - Throws: ``FileError`` when an unreadable file could not be moved aside; nothing may save then.
    func loaded() async throws {
        try await task.value
    }

    /// What the history saver writes: waits for the load, so that no save leaves the older records out.
    func snapshot() async -> HistorySaver.Snapshot {
        do {
            try await loaded()
        } catch {
            return HistorySaver.Snapshot(version: .max) { throw error }
        }
        // Asked every interval: only the version is read here; the records are copied (under the
        // signaling lock) only when the saver finds the version moved. They may be newer than
        // `version`, which costs at most one redundant save later.
        let hub = self.hub
        return HistorySaver.Snapshot(version: hub.read { $0.historyVersion }) {
            let (calls, live) = hub.read { ($0.historyRecords, $0.persistableLiveCalls()) }
            return HistoryDocument(calls: calls, live: live).encoded()
        }
    }

    func run() async throws {
        try await loaded()
    }
}
