import DialtoneCore

/// What a refused request must leave as it was.
struct Snapshot: Equatable {
    var status: CoreStatus
    var liveCalls: [LiveCall]
    var history: [CallRecord]
    var users: [UserSummary]
    var historyVersion: UInt64

    init(_ core: SignalingCore) {
        status = core.status
        liveCalls = core.liveCalls()
        history = core.historyRecords
        users = core.users
        historyVersion = core.historyVersion
    }
}
