import DialtoneCore
import DialtoneJSON

/// The content of `history.json`: `{"format": 1, "calls": [...], "live": [...]}`, the ended calls
/// and the calls that were live at a graceful stop so that the next start restores them.
///
/// Read and written with DialtoneJSON rather than Foundation's coders: a 100,000-record history
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

    /// - Throws: `JSONError` for text that is not JSON, ``PersistenceError`` naming the first
    ///   member that is missing or wrong (such as `calls[12].endedAt`).
    init(parsing bytes: [UInt8]) throws {
        let fields = try PersistedObject(try JSON(parsing: bytes))
        let format = try fields.int("format")
        guard format == Self.currentFormat else {
            throw PersistenceError.invalid("format", "history format \(format) is not \(Self.currentFormat)")
        }
        calls = try Self.elements(of: fields, "calls", CallRecord.init(persisted:))
        live = try Self.elements(of: fields, "live", LiveCall.init(persisted:))
    }

    private static func elements<Element>(
        of fields: PersistedObject, _ key: String, _ read: (JSON) throws(PersistenceError) -> Element
    ) throws(PersistenceError) -> [Element] {
        let values = try fields.array(key)
        var elements: [Element] = []
        elements.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            do throws(PersistenceError) {
                elements.append(try read(value))
            } catch {
                throw error.inside("\(key)[\(index)]")
            }
        }
        return elements
    }

    /// The compact JSON text of the document.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        // About 300 bytes per record; growing a multi-megabyte buffer by doubling copies it often.
        bytes.reserveCapacity(64 + calls.count * 320 + live.count * 1024)
        bytes.append(contentsOf: #"{"format":\#(Self.currentFormat),"calls":["#.utf8)
        for (index, record) in calls.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            record.writePersisted(into: &bytes)
        }
        bytes.append(contentsOf: #"],"live":["#.utf8)
        for (index, call) in live.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            call.persistedJSON().write(into: &bytes)
        }
        bytes.append(contentsOf: "]}".utf8)
        return bytes
    }
}
