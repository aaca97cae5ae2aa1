import Foundation
import Logging
import Testing

@testable import DialtoneDaemon

@Suite("HistoryStore")
struct HistoryStoreTests {
    struct NotHistory: Error {}

    /// A parser that accepts only `[...]`, standing in for the core's record decoder.
    static func parse(_ bytes: [UInt8]) throws -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("["), text.hasSuffix("]") else { throw NotHistory() }
        return text
    }

    static let fixedTime = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z

    @Test("creates the state directory with mode 0750, parents included")
    func createsDirectory() throws {
        let directory = try TemporaryDirectory()
        let state = directory.file("a/b/state")
        let store = try HistoryStore(directory: state, logger: Logger(label: "test"))
        var status = stat()
        #expect(stat(state, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFDIR)
        #expect(status.st_mode & 0o7777 == 0o750)
        #expect(store.path == state + "/history.json")
    }

    @Test("a state directory that is a file is an error")
    func directoryIsAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("state", "")
        #expect(throws: FileError.self) { try HistoryStore(directory: file, logger: Logger(label: "test")) }
    }

    @Test("no file loads as nil; a saved file loads back")
    func saveAndLoad() throws {
        let directory = try TemporaryDirectory()
        let store = try HistoryStore(directory: directory.path, logger: Logger(label: "test"))
        #expect(try store.load(parse: Self.parse) == nil)
        try store.save(Array("[1,2]".utf8))
        #expect(try store.load(parse: Self.parse) == "[1,2]")
        #expect(try directory.names() == ["history.json"])
    }

    @Test("a corrupt file is moved aside under a UTC timestamp, and never overwrites an earlier one")
    func corruptFilesMovedAside() throws {
        let directory = try TemporaryDirectory()
        let store = try HistoryStore(directory: directory.path, logger: Logger(label: "test"), now: { Self.fixedTime })

        try directory.write("history.json", "garbage one")
        #expect(try store.load(parse: Self.parse) == nil)
        try directory.write("history.json", "garbage two")
        #expect(try store.load(parse: Self.parse) == nil)
        try directory.write("history.json", "garbage three")
        #expect(try store.load(parse: Self.parse) == nil)

        #expect(
            try directory.names() == [
                "history.json.corrupt-20261118T110640Z",
                "history.json.corrupt-20261118T110640Z-2",
                "history.json.corrupt-20261118T110640Z-3",
            ])
        #expect(try directory.read("history.json.corrupt-20261118T110640Z") == "garbage one")
        #expect(try directory.read("history.json.corrupt-20261118T110640Z-2") == "garbage two")
        #expect(try directory.read("history.json.corrupt-20261118T110640Z-3") == "garbage three")

        // The daemon then starts empty and saves a fresh file beside the kept ones.
        try store.save(Array("[]".utf8))
        #expect(try store.load(parse: Self.parse) == "[]")
    }

    @Test("the corrupt file is reported as an error in the log")
    func corruptFileLogged() throws {
        let directory = try TemporaryDirectory()
        let recorder = LogRecorder()
        var logger = Logger(label: "test") { _ in recorder }
        logger.logLevel = .trace
        let store = try HistoryStore(directory: directory.path, logger: logger, now: { Self.fixedTime })
        try directory.write("history.json", "{")
        _ = try store.load(parse: Self.parse)
        let errors = recorder.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(
            errors.first?.metadata["dialtone.file.aside"] == "\(directory.path)/history.json.corrupt-20261118T110640Z")
        #expect(errors.first?.metadata["dialtone.file"] == "\(directory.path)/history.json")
    }

    @Test("timestamps are UTC and zero-padded")
    func timestamps() {
        #expect(HistoryStore.timestamp(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(HistoryStore.timestamp(Date(timeIntervalSince1970: 1_000_000_000.9)) == "20010909T014640Z")
    }
}
