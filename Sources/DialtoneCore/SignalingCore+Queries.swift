extension SignalingCore {
    /// Live counts and history totals, all kept up to date as things happen (no scan).
    public var status: CoreStatus {
        var totals = history.totals
        for reason in EndReason.allCases where totals[reason] == nil { totals[reason] = 0 }
        return CoreStatus(
            connectedUsers: registry.devicesByUser.count,
            connectedDevices: registry.devices.count,
            ringingCalls: calls.count - activeCallCount,
            activeCalls: activeCallCount,
            totalCalls: history.count,
            callsByEndReason: totals,
            averageDurationSeconds: history.averageDurationSeconds)
    }

    /// Live calls, oldest first, optionally only those in `state` (`ended` gives none).
    public func liveCalls(state: CallState? = nil) -> [LiveCall] {
        calls.values
            .filter { state == nil || $0.state == state }
            .sorted { ($0.createdAt, $0.callId) < ($1.createdAt, $1.callId) }
    }

    /// A live call by exact id.
    public func call(_ callId: String) -> LiveCall? { calls[callId] }

    /// Ended calls, newest first: those naming `userId` (when given) created within `since...until`
    /// (each bound inclusive, when given), at most `limit` (when given; a negative limit counts as 0).
    /// Scans from the newest record and stops once `limit` records are found.
    public func history(
        userId: UserID? = nil, since: Timestamp? = nil, until: Timestamp? = nil, limit: Int? = nil
    ) -> [CallRecord] {
        let limit = max(0, limit ?? .max)
        var found: [CallRecord] = []
        guard limit > 0 else { return found }
        for record in history.records.reversed() {
            if let userId, !record.participants.contains(userId) { continue }
            if let since, record.createdAt < since { continue }
            if let until, record.createdAt > until { continue }
            found.append(record)
            if found.count == limit { break }
        }
        return found
    }

    /// Registered users, by user id.
    public var users: [UserSummary] {
        registry.devicesByUser
            .map { UserSummary(userId: $0.key, devices: $0.value, calls: presentCallIds(of: $0.key)) }
            .sorted { $0.userId < $1.userId }
    }

    /// History oldest first, as persisted.
    public var historyRecords: [CallRecord] { Array(history.records) }

    /// The history record of an ended call, without copying the history.
    public func record(_ callId: String) -> CallRecord? {
        guard history.contains(callId: callId) else { return nil }
        return history.records.last { $0.callId == callId }
    }

    /// Ringing and active calls, oldest first, for a snapshot at graceful stop.
    public func persistableLiveCalls() -> [LiveCall] { liveCalls() }
}
