import DialtoneCore

/// The ended calls of a history file, not read yet: the file's bytes and where its `calls` array
/// lies in them (found by ``HistoryDocument/opening(_:)``).
struct UnreadCallRecords: Sendable {
    /// An empty array.
    static let none = UnreadCallRecords(bytes: Array("[]".utf8), range: 0..<2)

    let bytes: [UInt8]
    let range: Range<Int>

    /// Reads every record, strictly.
    ///
    /// - Throws: ``PersistenceError`` naming the first member that is malformed, missing or wrong
    ///   (such as `calls[12].endedAt`).
    func read() throws(PersistenceError) -> [CallRecord] {
        let scanned = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(PersistenceError) in
                var scanner = HistoryScanner(buffer)
                return try scanner.records(in: range)
            }
        }
        return try scanned.get()
    }
}
