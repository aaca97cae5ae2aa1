import DialtoneCore

/// The content of `history.json`: `{"format": 1, "live": [...], "calls": [...]}`, the calls that
/// were live at a graceful stop so that the next start restores them, and the ended calls.
///
/// Read by ``HistoryScanner`` and written directly as bytes rather than with Foundation's coders: a 100,000-record history
/// must load and save in a fraction of a second, and payloads (offers, metadata) keep their key
/// order and number text across a restart. Files written by the earlier Foundation coder (members
/// in any order, `/` escaped, numbers reformatted) read the same.
struct HistoryDocument: Sendable {
    /// Raised when a later dialtone changes the format, so an older one refuses (and keeps) the file.
    static let currentFormat = 1

    var calls: [CallRecord] = []
    var live: [LiveCall] = []

    init(calls: [CallRecord] = [], live: [LiveCall] = []) {
        self.calls = calls
        self.live = live
    }

    /// The whole file at once: ``opening(_:)`` and then ``UnreadCallRecords/read()``.
    ///
    /// - Throws: ``PersistenceError`` naming the first member that is malformed, missing or
    ///   wrong (such as `calls[12].endedAt`).
    init(parsing bytes: [UInt8]) throws(PersistenceError) {
        let opened = try Self.opening(bytes)
        self.init(calls: try opened.calls.read(), live: opened.live)
    }

    /// A file read but for its ended calls, which a daemon reads once it serves.
    struct Opened: Sendable {
        /// No file: nothing to restore, nothing to read.
        static let empty = Opened(live: [], calls: .none)

        var live: [LiveCall]
        var calls: UnreadCallRecords
    }

    /// The first step of reading a file: checks its syntax outside the ended calls, its format and
    /// its live calls, reads the live calls, and delimits the ended calls without reading them.
    ///
    /// - Throws: ``PersistenceError`` naming the first member that is malformed, missing or
    ///   wrong; a problem inside `calls` shows only when they are read.
    static func opening(_ bytes: [UInt8]) throws(PersistenceError) -> Opened {
        let scanned = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(PersistenceError) in
                var scanner = HistoryScanner(buffer)
                return try scanner.document()
            }
        }
        let (live, calls) = try scanned.get()
        return Opened(live: live, calls: UnreadCallRecords(bytes: bytes, range: calls))
    }

    /// The compact JSON text of the document.
    ///
    /// - Parameter olderRecords: The text of records that ended before ``calls``, written in front
    ///   of them as it is (``UnreadCallRecords/recordsText()``): a save before the history file
    ///   has been read keeps its records.
    func encoded(olderRecords: ArraySlice<UInt8> = []) -> [UInt8] {
        var bytes: [UInt8] = []
        // About 300 bytes per record; growing a multi-megabyte buffer by doubling copies it often.
        bytes.reserveCapacity(64 + olderRecords.count + calls.count * 320 + live.count * 1024)
        // Live calls first: a start reads them before serving and can leave the long `calls`,
        // last, unread until then (``HistoryScanner``).
        bytes.append(contentsOf: #"{"format":\#(Self.currentFormat),"live":["#.utf8)
        for (index, call) in live.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            call.persistedJSON().write(into: &bytes)
        }
        bytes.append(contentsOf: #"],"calls":["#.utf8)
        bytes.append(contentsOf: olderRecords)
        for (index, record) in calls.enumerated() {
            if index > 0 || !olderRecords.isEmpty { bytes.append(UInt8(ascii: ",")) }
            record.writePersisted(into: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
        return bytes
    }
}
