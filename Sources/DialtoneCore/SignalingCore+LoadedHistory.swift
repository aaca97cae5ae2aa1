extension SignalingCore {
    /// Ended calls read from disk after the core started, indexed (ids, totals) away from the
    /// core's owner so that merging them is one short step.
    public struct LoadedHistory: Sendable {
        fileprivate let history: History

        /// - Parameter records: Oldest first; a record whose call id appeared earlier is dropped,
        ///   as when a core starts with them.
        public init(_ records: [CallRecord]) {
            // No limit yet: the core applies the one in force when the records are merged.
            history = History(records, limit: .max)
        }

        /// Records kept (duplicate ids dropped).
        public var count: Int { history.count }
    }

    /// Whether ``mergeLoadedHistory(_:)`` has run: until then a daemon that reads its history file
    /// while serving holds only the calls ended since it started.
    public var hasMergedLoadedHistory: Bool { history.hasOlderRecords }

    /// Merges ended calls read from disk, which all ended before this core started, in front of the
    /// calls ended since; then keeps the newest `historyLimit`. Used when a daemon serves before its
    /// history file is read: the core then started with its live calls only.
    ///
    /// A loaded record whose call id was used again in the meantime (a live call, or a call ended
    /// since) gives way, so that ids stay unique; that takes a device choosing an old call's id
    /// while the file was being read.
    ///
    /// - Returns: The call ids of the loaded records that gave way.
    @discardableResult
    public mutating func mergeLoadedHistory(_ loaded: consuming LoadedHistory) -> [String] {
        let displaced = history.putBefore(loaded.history, liveCallIds: calls.keys)
        historyVersion &+= 1
        return displaced
    }
}
