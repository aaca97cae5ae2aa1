import DialtoneJSON

extension CallRecord {
    /// Reads a record as ``toJSON()`` writes it (the `calls` of `history.json`). `duration` is
    /// derived from the times and not trusted from the input, and a record whose times or
    /// participants contradict each other is refused.
    public init(persisted value: JSON) throws(PersistenceError) {
        let fields = try PersistedObject(value)
        let callId = try fields.string("callId")
        let from = try fields.string("from")
        let participants = try fields.strings("participants")
        guard !callId.isEmpty else { throw .invalid("callId", "a call id must not be empty") }
        guard participants.count >= 2, participants.first == from, Set(participants).count == participants.count else {
            throw .invalid("participants", "must be at least two users, caller first, each named once")
        }
        guard try fields.value("status", as: CallState.self) == .ended else {
            throw .invalid("status", "a history record's status is \"ended\"")
        }
        self.init(
            callId: callId, from: from, participants: participants,
            media: try fields.value("media", as: Media.self),
            endReason: try fields.value("endReason", as: EndReason.self),
            createdAt: try fields.timestamp("createdAt"),
            answeredAt: try fields.optionalTimestamp("answeredAt"),
            endedAt: try fields.timestamp("endedAt"))
    }
}
