import Foundation
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@testable import DialtoneDaemon

@Suite("HistorySaver")
struct HistorySaverTests {
    /// A stand-in for the core: a version that moves on every change, and a count of encodings.
    final class FakeState: Sendable {
        private let state = Mutex<(version: UInt64, encodings: Int)>((1, 0))

        var encodings: Int { state.withLock { $0.encodings } }

        func change() { state.withLock { $0.version += 1 } }

        func snapshot() -> HistorySaver.Snapshot {
            let version = state.withLock { $0.version }
            return HistorySaver.Snapshot(version: version) { [self] in
                state.withLock { $0.encodings += 1 }
                return Array("[\(version)]".utf8)
            }
        }
    }

    private static func saver(
        _ directory: TemporaryDirectory,
        _ state: FakeState,
        interval: Duration = .seconds(3600),
        savedVersion: UInt64? = nil,
        logger: Logger = Logger(label: "test")
    ) throws -> HistorySaver {
        let store = try HistoryStore(directory: directory.path, logger: logger)
        return HistorySaver(store: store, interval: interval, savedVersion: savedVersion, logger: logger) {
            state.snapshot()
        }
    }

    @Test("saves only when the version moved, and encodes only then")
    func savesOnlyOnChange() async throws {
        let directory = try TemporaryDirectory()
        let state = FakeState()
        let saver = try Self.saver(directory, state)

        #expect(await saver.saveIfChanged())
        #expect(try directory.read("history.json") == "[1]")
        #expect(await saver.saveIfChanged() == false)
        #expect(await saver.saveIfChanged() == false)
        #expect(state.encodings == 1)

        state.change()
        state.change()
        #expect(await saver.saveIfChanged())
        #expect(try directory.read("history.json") == "[3]")
        #expect(state.encodings == 2)
    }

    @Test("the version loaded at start is not saved again")
    func loadedVersionNotSaved() async throws {
        let directory = try TemporaryDirectory()
        let state = FakeState()
        let saver = try Self.saver(directory, state, savedVersion: 1)
        #expect(await saver.saveIfChanged() == false)
        #expect(try directory.names().isEmpty)
        state.change()
        #expect(await saver.saveIfChanged())
    }

    @Test("saveNow writes even when nothing changed")
    func saveNowForces() async throws {
        let directory = try TemporaryDirectory()
        let state = FakeState()
        let saver = try Self.saver(directory, state, savedVersion: 1)
        try await saver.saveNow()
        #expect(try directory.read("history.json") == "[1]")
        #expect(state.encodings == 1)
    }

    @Test("a failed save is logged and retried at the next check")
    func failedSaveRetried() async throws {
        let directory = try TemporaryDirectory()
        let state = FakeState()
        let recorder = LogRecorder()
        let saver = try Self.saver(directory, state, logger: Logger(label: "test") { _ in recorder })

        try FileManager.default.removeItem(atPath: directory.path)
        #expect(await saver.saveIfChanged() == false)
        #expect(recorder.entries.filter { $0.level == .error }.count == 1)
        await #expect(throws: FileError.self) { try await saver.saveNow() }

        try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: false)
        #expect(await saver.saveIfChanged())
        #expect(try directory.read("history.json") == "[1]")
    }

    @Test("graceful shutdown saves the last change without waiting for the interval")
    func savesOnShutdown() async throws {
        let directory = try TemporaryDirectory()
        let state = FakeState()
        let saver = try Self.saver(directory, state, savedVersion: 1)
        state.change()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await saver.run() }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(try directory.read("history.json") == "[2]")
    }

    @Test("running, it saves a change within a short interval")
    func periodicSave() async throws {
        let directory = try TemporaryDirectory()
        let state = FakeState()
        let saver = try Self.saver(directory, state, interval: .milliseconds(20), savedVersion: 1)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await saver.run() }
                state.change()
                // Bounded wait for the first periodic save; no assertion on how fast it came.
                let deadline = ContinuousClock.now + .seconds(60)
                while (try? directory.read("history.json")) != "[2]" && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                #expect(try directory.read("history.json") == "[2]")
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(state.encodings == 1)
    }
}
