import DialtoneCore
import DialtoneServer
import Logging
import Synchronization

/// The ended calls of `history.json`, read once the daemon serves and merged into the core in one
/// step, in front of the calls ended meanwhile: a 100,000-record file takes longer to read than a
/// start should. The live calls were restored before the daemon served (devices reconnect to them
/// at once); the ended ones are only read by queries and saves, and those await ``loaded()`` first,
/// so none sees a history without its older records.
final class HistoryLoad: Sendable {
    private enum State {
        case waiting(@Sendable () async throws -> Void)
        case started(Task<Void, any Error>)
    }

    private let state: Mutex<State>
    private let hub: SignalingHub

    /// Prepares the load; ``start()`` or the first ``loaded()`` begins it.
    ///
    /// - Parameters:
    ///   - read: Reads the records, oldest first (``UnreadCallRecords/read()``). When it throws,
    ///     the file is moved aside (``HistoryStore/moveAside(unreadable:)``) and the history holds
    ///     only the calls ended since the start, as after a start with a corrupt file.
    ///   - hub: The core's owner, which gets the records.
    init(
        reading read: @escaping @Sendable () async throws -> [CallRecord], store: HistoryStore, hub: SignalingHub,
        logger: Logger
    ) {
        self.hub = hub
        state = Mutex(
            .waiting {
                let records: [CallRecord]
                do {
                    records = try await read()
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
            })
    }

    /// Begins reading, on a task of its own (off the event loops), unless it has begun.
    @discardableResult
    func start() -> Task<Void, any Error> {
        state.withLock { state in
            switch state {
            case .started(let task):
                return task
            case .waiting(let load):
                let task = Task { try await load() }
                state = .started(task)
                return task
            }
        }
    }

    /// Returns once the records are in the core, or the file was moved aside; begins the load if
    /// it has not begun (a save or a query before the daemon said it is ready).
    ///
    /// - Throws: ``FileError`` when an unreadable file could not be moved aside; nothing may save
    ///   then, or it would replace a file nobody has looked at.
    func loaded() async throws {
        try await start().value
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
}
