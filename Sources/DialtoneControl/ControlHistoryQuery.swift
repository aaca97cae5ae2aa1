import Foundation

/// The filters of `history.list`; `nil` means no filter.
public struct ControlHistoryQuery: Sendable, Hashable {
    public var userId: String?
    public var since: Date?
    public var until: Date?
    public var limit: Int?

    public init(userId: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int? = nil) {
        self.userId = userId
        self.since = since
        self.until = until
        self.limit = limit
    }
}
