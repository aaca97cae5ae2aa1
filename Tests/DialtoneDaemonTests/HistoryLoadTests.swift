import DialtoneCore
import DialtoneServer
import Foundation
import Logging
import NIOPosix
import Testing

@testable import DialtoneDaemon

/// The ended calls read while the daemon already serves: queries wait for them, saves before them
/// keep the file's records, they go before the calls ended meanwhile, and a file whose records
/// turn out bad is moved aside.
@Suite struct HistoryLoadTests {
    /// Returns its records only once released, like a long file still being read.
    final class SlowReader: Sendable {
        private let gate = AsyncStream<Void>.makeStream()

        func read(_ result: Result<[CallRecord], any Error>) async throws -> [CallRecord] {
            for await _ in gate.stream { break }
            return try result.get()
        }

        func release() {
            gate.continuation.yield()
            gate.continuation.finish()
        }
    }

    /// The fixture's file in a state directory, and a hub that restored its live calls (one
    /// active, one ringing) but holds none of its ended calls yet.
    struct Started {
        static let activeCall = "call_1795581846375_mbfi91q8j"
        let directory: TemporaryDirectory
        let store: HistoryStore
        let hub: SignalingHub
        let oldRecords: [CallRecord]
        let calls: UnreadCallRecords
        let log = LogRecorder()

        init() throws {
            directory = try TemporaryDirectory()
            try directory.write("history.json", HistoryFixture.foundationFormat1)
            let opened = try HistoryDocument.opening(Array(HistoryFixture.foundationFormat1.utf8))
            calls = opened.calls
            oldRecords = try opened.calls.read()
            let logger = Logger(label: "test") { [log] _ in log }
            store = try HistoryStore(directory: directory.path, logger: logger)
            let clock = ManualClock(Timestamp(milliseconds: 1_795_581_850_000))
            hub = SignalingHub(
                core: SignalingCore(restoring: opened.live, now: clock.now()), clock: clock,
                timerLoop: MultiThreadedEventLoopGroup.singleton.next())
        }

        var logger: Logger { Logger(label: "test") { [log] _ in log } }

        func load(_ reader: SlowReader, _ result: Result<[CallRecord], any Error>) -> HistoryLoad {
            HistoryLoad(calls: calls, store: store, hub: hub, logger: logger) { _ in try await reader.read(result) }
        }

        func saver(_ load: HistoryLoad) -> HistorySaver {
            HistorySaver(store: store, interval: .seconds(3600), logger: logger) { await load.snapshot() }
        }

        /// Ends the active call as an administrator would, and returns its id.
        func endActiveCall() -> String {
            hub.apply { core, now in core.endCallAsAdmin(callId: Self.activeCall, now: now) }
            return Self.activeCall
        }

        func savedDocument() throws -> HistoryDocument {
            try HistoryDocument(parsing: Array(try directory.read("history.json").utf8))
        }
    }

    @Test func queriesWaitAndTheLoadedRecordsGoFirst() async throws {
        let daemon = try Started()
        let reader = SlowReader()
        let load = daemon.load(reader, .success(daemon.oldRecords))
        let endedMeanwhile = daemon.endActiveCall()
        #expect(daemon.hub.read { $0.historyRecords.map(\.callId) } == [endedMeanwhile])

        let hub = daemon.hub
        let query = Task {
            try await load.loaded()
            return hub.read { ($0.historyRecords.map(\.callId), $0.status.totalCalls) }
        }
        // A save before the records are in writes them back as they were, in front.
        let saver = daemon.saver(load)
        try await saver.saveNow()
        let expected = daemon.oldRecords.map(\.callId) + [endedMeanwhile]
        let early = try daemon.savedDocument()
        #expect(early.calls.map(\.callId) == expected)
        #expect(Array(early.calls.prefix(2)) == daemon.oldRecords)
        #expect(early.live.map(\.from) == ["carol"])
        // Long enough for a query that did not wait to have answered.
        try await Task.sleep(for: .milliseconds(100))
        #expect(daemon.hub.read { $0.historyRecords.count } == 1)

        reader.release()
        let (ids, total) = try await query.value
        #expect(ids == expected)
        #expect(total == 3)
        #expect(daemon.hub.read { $0.hasMergedLoadedHistory })
        try await saver.saveNow()
        let saved = try daemon.savedDocument()
        #expect(saved.calls == early.calls)
        #expect(saved.live == early.live)
        #expect(daemon.log.entries.contains { $0.message == "history loaded" && $0.metadata["dialtone.history.calls"] == "2" })
    }

    @Test func aSaveBeforeAnyRecordIsReadKeepsAFileAsDialtoneWritesIt() async throws {
        let daemon = try Started()
        let written = HistoryDocument(calls: daemon.oldRecords, live: []).encoded()
        let opened = try HistoryDocument.opening(written)
        let reader = SlowReader()
        let load = HistoryLoad(calls: opened.calls, store: daemon.store, hub: daemon.hub, logger: daemon.logger) { _ in
            try await reader.read(.success([]))
        }
        let endedMeanwhile = daemon.endActiveCall()
        try await daemon.saver(load).saveNow()
        #expect(try daemon.savedDocument().calls.map(\.callId) == daemon.oldRecords.map(\.callId) + [endedMeanwhile])
        reader.release()
        try await load.loaded()
    }

    @Test func aSaveBeforeTheRecordsAreReadWaitsWhenTheirArrayHasNoEnd() async throws {
        let daemon = try Started()
        let text = #"{"format":1,"live":[],"calls":[{"callId":"]"}"#
        try daemon.directory.write("history.json", text)
        let opened = try HistoryDocument.opening(Array(text.utf8))
        let load = HistoryLoad(calls: opened.calls, store: daemon.store, hub: daemon.hub, logger: daemon.logger)
        let endedMeanwhile = daemon.endActiveCall()

        try await daemon.saver(load).saveNow()

        #expect(try daemon.savedDocument().calls.map(\.callId) == [endedMeanwhile])
        let aside = try daemon.directory.names().filter { $0.hasPrefix("history.json.corrupt-") }
        #expect(try aside.map { try daemon.directory.read($0) } == [text])
    }

    @Test func recordsThatTurnOutBadMoveTheFileAsideAndKeepTheCallsEndedSince() async throws {
        let daemon = try Started()
        let reader = SlowReader()
        let load = daemon.load(reader, .failure(PersistenceError.invalid("calls[1].endedAt", "not a time")))
        let endedMeanwhile = daemon.endActiveCall()
        reader.release()
        try await load.loaded()

        let aside = try daemon.directory.names().filter { $0.hasPrefix("history.json.corrupt-") }
        #expect(aside.count == 1)
        #expect(try daemon.directory.read(try #require(aside.first)) == HistoryFixture.foundationFormat1)
        #expect(daemon.hub.read { $0.historyRecords.map(\.callId) } == [endedMeanwhile])
        #expect(daemon.log.entries.contains { $0.level == .error && $0.metadata["dialtone.error"]?.contains("calls[1].endedAt") == true })

        try await daemon.saver(load).saveNow()
        #expect(try daemon.savedDocument().calls.map(\.callId) == [endedMeanwhile])
    }

    @Test func nothingSavesWhenABadFileCannotBeMovedAside() async throws {
        let daemon = try Started()
        let reader = SlowReader()
        let load = daemon.load(reader, .failure(PersistenceError.missing("calls[0].callId")))
        // Gone before the load looks at it: moving it aside fails as it would on a read-only directory.
        try FileManager.default.removeItem(atPath: daemon.directory.file("history.json"))
        reader.release()

        await #expect(throws: FileError.self) { try await load.loaded() }
        await #expect(throws: FileError.self) { try await daemon.saver(load).saveNow() }
        #expect(try daemon.directory.names().isEmpty)
    }
}
