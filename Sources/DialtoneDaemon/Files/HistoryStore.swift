import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `history.json` in the state directory. The record format belongs to the signaling core; the
/// store only moves bytes, atomically, and keeps an unreadable file for a human to look at.
public struct HistoryStore: Sendable {
    /// The state directory.
    public let directory: String
    /// The history file inside ``directory``.
    public let path: String
    private let logger: Logger
    private let now: @Sendable () -> Date

    /// Opens the store, creating the state directory (mode 0750) when it is missing.
    ///
    /// - Parameter now: The clock that names moved-aside files; injectable for tests.
    public init(
        directory: String,
        logger: Logger,
        now: @escaping @Sendable () -> Date = Date.init
    ) throws(FileError) {
        try Syscalls.createDirectory(directory, permissions: 0o750)
        self.directory = directory
        self.path = FilePaths.join(directory, "history.json")
        self.logger = logger
        self.now = now
        removeLeftoverTemporaryFiles()
    }

    /// A daemon killed in the middle of a save leaves its temporary file behind (the history file
    /// itself is whole: the rename never happened). Nothing else writes these names.
    private func removeLeftoverTemporaryFiles() {
        let prefix = ".history.json.tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(prefix) {
            let leftover = FilePaths.join(directory, name)
            do {
                try Syscalls.unlinkFile(leftover)
                logger.notice("removed the temporary file of an interrupted save", metadata: ["dialtone.file": "\(leftover)"])
            } catch {
                logger.warning("cannot remove a leftover temporary file", metadata: ["dialtone.file": "\(leftover)", "dialtone.error": "\(error)"])
            }
        }
    }

    /// Reads and parses the history file.
    ///
    /// - Returns: What `parse` made of the file; `nil` when there is no file, or when `parse`
    ///   threw: the file has then been moved aside to `history.json.corrupt-<UTC time>` (never
    ///   replacing anything) and the problem logged as an error, so the daemon starts empty.
    /// - Throws: ``FileError`` when the file cannot be read or moved aside. Starting anyway would
    ///   let the next save replace a file nobody has looked at.
    public func load<Value>(parse: ([UInt8]) throws -> Value) throws(FileError) -> Value? {
        guard let bytes = try Syscalls.readAll(path) else {
            logger.info("no history file yet", metadata: ["dialtone.file": "\(path)"])
            return nil
        }
        do {
            return try parse(bytes)
        } catch {
            try moveAside(unreadable: error)
            return nil
        }
    }

    /// Moves the history file aside to `history.json.corrupt-<UTC time>` (never replacing
    /// anything) and logs `problem` as an error: for a file that ``load(parse:)`` could read but
    /// whose records turned out wrong when read later. Nothing may save before this returns.
    ///
    /// - Throws: ``FileError`` when the file cannot be moved aside: then nothing may save at all,
    ///   or it would replace a file nobody has looked at.
    public func moveAside(unreadable problem: any Error) throws(FileError) {
        let asidePath = try moveAside()
        logger.error(
            "history file cannot be parsed; moved it aside and starting with an empty history",
            metadata: [
                "dialtone.file": "\(path)",
                "dialtone.file.aside": "\(asidePath)",
                "dialtone.error": "\(problem)",
            ]
        )
    }

    /// Replaces the history file with `bytes` atomically (mode 0640).
    public func save(_ bytes: [UInt8]) throws(FileError) {
        try AtomicFile.write(bytes, to: path, permissions: 0o640)
    }

    /// Renames the history file to a name nothing has yet. A hard link fails instead of
    /// replacing an existing file, which `rename` would do.
    private func moveAside() throws(FileError) -> String {
        let base = "\(path).corrupt-\(Self.timestamp(now()))"
        var candidate = base
        var number = 1
        while true {
            do {
                try Syscalls.linkFile(path, to: candidate)
                break
            } catch  where error.code == EEXIST {
                number += 1
                candidate = "\(base)-\(number)"
            }
        }
        try Syscalls.unlinkFile(path)
        try Syscalls.syncDirectory(directory)
        return candidate
    }

    /// `20261125T010203Z`: sorts by time and needs no quoting in a shell.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }
}
