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

    /// The records' text between the array's brackets, to be written back unread by a save that
    /// comes before they are read; `nil` when the array has no end (reading it will say so).
    func recordsText() -> ArraySlice<UInt8>? {
        let extent = bytes.withUnsafeBufferPointer { buffer in
            var scanner = HistoryScanner(buffer)
            return scanner.arrayExtent(at: range.lowerBound)
        }
        guard let extent else { return nil }
        var text = bytes[(extent.lowerBound + 1)..<(extent.upperBound - 1)]
        while let first = text.first, Self.isWhitespace(first) { text = text.dropFirst() }
        while let last = text.last, Self.isWhitespace(last) { text = text.dropLast() }
        return text
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
