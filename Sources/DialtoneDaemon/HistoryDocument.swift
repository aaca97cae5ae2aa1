import DialtoneCore
import Foundation

/// The content of `history.json`: ended calls, and the calls that were live at a graceful stop so
/// that the next start restores them.
struct HistoryDocument: Codable, Sendable {
    /// Raised when a later dialtone changes the format, so an older one refuses (and keeps) the file.
    static let currentFormat = 1

    var format = HistoryDocument.currentFormat
    var calls: [CallRecord] = []
    var live: [LiveCall] = []

    init(calls: [CallRecord] = [], live: [LiveCall] = []) {
        self.calls = calls
        self.live = live
    }

    init(parsing bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(HistoryDocument.self, from: Data(bytes))
        guard format == Self.currentFormat else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "history format \(format) is not \(Self.currentFormat)"))
        }
    }

    func encoded() throws -> [UInt8] {
        Array(try JSONEncoder().encode(self))
    }
}
