/// Ended calls, oldest first, bounded by a limit, with totals kept as records come and go so
/// `/status` never scans.
struct History: Equatable, Sendable {
    /// Records before `start` are dropped; they are removed in bulk so dropping stays O(1) amortized.
    private var storage: [CallRecord] = []
    private var start = 0
    private(set) var limit: Int
    private var callIds: Set<String> = []
    private(set) var totals: [EndReason: Int] = [:]
    private(set) var answeredCount = 0
    private(set) var answeredMilliseconds: Int64 = 0
    /// Whether records read after the start were put in front (``putBefore(_:liveCallIds:)``).
    private(set) var hasOlderRecords = false

    /// Keeps the newest `limit` records; a record whose call id appeared earlier is dropped, so ids stay unique.
    init(_ records: [CallRecord], limit: Int) {
        self.limit = max(0, limit)
        storage.reserveCapacity(min(records.count, self.limit))
        callIds.reserveCapacity(min(records.count, self.limit))
        // One hash of each id: the insert is the duplicate check.
        for record in records where callIds.insert(record.callId).inserted {
            storage.append(record)
            tally(record, sign: 1)
            trim()
        }
    }

    var count: Int { storage.count - start }

    /// Oldest first.
    var records: ArraySlice<CallRecord> { storage[start...] }

    func contains(callId: String) -> Bool { callIds.contains(callId) }

    var averageDurationSeconds: Double {
        guard answeredCount > 0 else { return 0 }
        return Double(answeredMilliseconds / Int64(answeredCount)) / 1000
    }

    mutating func append(_ record: CallRecord) {
        storage.append(record)
        account(record, sign: 1)
        trim()
    }

    /// Puts `older`, records that ended before every one here, in front of them: the history read
    /// from disk while the core was already serving. An older record whose id is here too, or in
    /// `liveCallIds`, gives way so that ids stay unique: the newer call is the one devices were told about.
    ///
    /// - Returns: The ids of the older records that gave way (none unless an id was reused while
    ///   the file was being read).
    mutating func putBefore(_ older: consuming History, liveCallIds: some Sequence<String>) -> [String] {
        var merged = older
        merged.limit = .max
        var displaced: [String] = []
        for callId in liveCallIds where merged.remove(callId: callId) { displaced.append(callId) }
        for record in records {
            if merged.remove(callId: record.callId) { displaced.append(record.callId) }
            merged.append(record)
        }
        merged.setLimit(limit)
        merged.hasOlderRecords = true
        self = merged
        return displaced
    }

    /// O(count), for the rare id that must give way.
    private mutating func remove(callId: String) -> Bool {
        guard callIds.contains(callId), let index = storage[start...].lastIndex(where: { $0.callId == callId }) else {
            return false
        }
        account(storage[index], sign: -1)
        storage.remove(at: index)
        return true
    }

    mutating func setLimit(_ newLimit: Int) {
        limit = max(0, newLimit)
        trim()
    }

    private mutating func trim() {
        while count > limit {
            account(storage[start], sign: -1)
            start += 1
        }
        if start > 0, start >= storage.count / 2 {
            storage.removeFirst(start)
            start = 0
        }
    }

    private mutating func account(_ record: CallRecord, sign: Int) {
        if sign > 0 { callIds.insert(record.callId) } else { callIds.remove(record.callId) }
        tally(record, sign: sign)
    }

    private mutating func tally(_ record: CallRecord, sign: Int) {
        totals[record.endReason, default: 0] += sign
        if record.answeredAt != nil {
            answeredCount += sign
            answeredMilliseconds += Int64(sign) * record.durationMilliseconds
        }
    }

    static func == (lhs: History, rhs: History) -> Bool {
        lhs.records == rhs.records && lhs.limit == rhs.limit
    }
}
