import DialtoneCore
import DialtoneServer
import Logging
import Synchronization

/// The ended calls of `history.json`, read once the daemon serves and merged into the core in one
/// step, in front of the calls ended meanwhile: a 100,000-record file takes longer to read than a
/// start should. The live calls were restored before the daemon served (devices reconnect to them
/// at once); the ended ones are only read by queries, which await ``loaded()``, and by saves, which
/// until the merge write the file's records back as their text in front of the newer ones. So no
/// answer and no file ever lacks the older records.
final class HistoryLoad: Sendable {
    private struct State {
        var task: Task<Void, any Error>?
        /// The file's records until they are in the core, for saves before that.
        var unread: UnreadCallRecords?
        /// Set when the records are bad and the file could not be moved aside: nothing may save.
        var failure: (any Error)?
    }

    private let state: Mutex<State>
    private let store: HistoryStore
    private let hub: SignalingHub
    private let logger: Logger
    private let read: @Sendable (UnreadCallRecords) async throws -> [CallRecord]

    /// Prepares the load; ``start()`` or the first ``loaded()`` begins it.
    ///
    /// - Parameters:
    ///   - calls: The file's ended calls, from ``HistoryDocument/opening(_:)``.
    ///   - hub: The core's owner, which gets the records.
    ///   - read: Reads the records, oldest first; injectable to slow it down in tests. When it
    ///     throws, the file is moved aside (``HistoryStore/moveAside(unreadable:)``) and the history
    ///     holds only the calls ended since the start, as after a start with a corrupt file.
    init(
        calls: UnreadCallRecords, store: HistoryStore, hub: SignalingHub, logger: Logger,
        read: @escaping @Sendable (UnreadCallRecords) async throws -> [CallRecord] = { try $0.read() }
    ) {
        state = Mutex(State(unread: calls))
        self.store = store
        self.hub = hub
        self.logger = logger
        self.read = read
    }

    private func load() async throws {
        guard let calls = state.withLock({ $0.unread }) else { return }
        var loaded: SignalingCore.LoadedHistory?
        do {
            loaded = SignalingCore.LoadedHistory(try await read(calls))
        } catch {
            do {
                try store.moveAside(unreadable: error)
            } catch let failure {
                state.withLock { $0.failure = failure }
                logger.error(
                    "history file cannot be parsed nor moved aside; the history will not be saved",
                    metadata: ["dialtone.file": "\(store.path)", "dialtone.error": "\(failure)"])
                throw failure
            }
            loaded = SignalingCore.LoadedHistory([])
        }
        let count = loaded?.count ?? 0
        var displaced: [String] = []
        hub.apply { core, _ in
            // Taken out of the optional so the core gets the only reference: no copy under the lock.
            if let history = loaded.take() { displaced = core.mergeLoadedHistory(history) }
            return Outcome()
        }
        state.withLock { $0.unread = nil }
        logger.info("history loaded", metadata: ["dialtone.history.calls": "\(count)"])
        if !displaced.isEmpty {
            logger.warning(
                "history records dropped: their call ids were used again while the file was read",
                metadata: ["dialtone.history.dropped": "\(displaced.joined(separator: ","))"])
        }
    }

    /// Begins reading, on a task of its own (off the event loops), unless it has begun.
    @discardableResult
    func start() -> Task<Void, any Error> {
        state.withLock { state in
            if let task = state.task { return task }
            let task = Task { try await self.load() }
            state.task = task
            return task
        }
    }

    /// Whether the records are in the core; `false` also after a file that could not be read
    /// could not be moved aside either, which ``loaded()`` then reports.
    var isLoaded: Bool { state.withLock { $0.unread == nil } }

    /// Returns once the records are in the core, or the file was moved aside; begins the load if
    /// it has not begun.
    ///
    /// - Throws: ``FileError`` when bad records could not be moved aside.
    func loaded() async throws {
        try await start().value
    }

    /// What the history saver writes: the core's calls, behind the file's records as their text
    /// while those are not in the core yet.
    func snapshot() async -> HistorySaver.Snapshot {
        var older: ArraySlice<UInt8>?
        // Taken before the core is read below: it is cleared only after the merge, so a core found
        // without the records means this is still the file's text.
        if let unread = state.withLock({ $0.unread }) {
            older = unread.recordsText()
            // An array without an end: reading it moves the file aside; wait for that.
            if older == nil { try? await loaded() }
        }
        if let failure = state.withLock({ $0.failure }) {
            return HistorySaver.Snapshot(version: .max) { throw failure }
        }
        // Asked every interval: only the version is read here; the records are copied (under the
        // signaling lock) only when the saver finds the version moved. They may be newer than
        // `version`, which costs at most one redundant save later.
        let hub = self.hub
        return HistorySaver.Snapshot(version: hub.read { $0.historyVersion }) { [older] in
            let (calls, live, merged) = hub.read {
                ($0.historyRecords, $0.persistableLiveCalls(), $0.hasMergedLoadedHistory)
            }
            let document = HistoryDocument(calls: calls, live: live)
            guard !merged, let older else { return document.encoded() }
            return document.encoded(olderRecords: older)
        }
    }
}
