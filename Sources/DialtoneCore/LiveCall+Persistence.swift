import DialtoneJSON

extension LiveCall {
    /// The call as `history.json` keeps it over a restart: `{callId, from, participants:
    /// [{userId, state}], media, metadata?, offer?, createdAt, answeredAt?, answer?, answeredBy?,
    /// callerAwaitsAnswer?, ringDeadline?}`, unset members left out and payloads as sent. Device
    /// bindings and reconnect deadlines are left out: they mean nothing after a restart.
    public func persistedJSON() -> JSON {
        var object: JSONObject = [
            "callId": .string(callId),
            "from": .string(from),
            "participants": .array(
                participants.map { participant -> JSON in
                    ["userId": .string(participant.userId), "state": .string(participant.state.rawValue)]
                }),
            "media": .string(media.rawValue),
        ]
        object["metadata"] = metadata
        object["offer"] = offer
        object["createdAt"] = .string(createdAt.iso8601)
        object["answeredAt"] = answeredAt.map { .string($0.iso8601) }
        object["answer"] = answer
        object["answeredBy"] = answeredBy.map { .string($0) }
        if callerAwaitsAnswer { object["callerAwaitsAnswer"] = true }
        object["ringDeadline"] = ringDeadline.map { .string($0.iso8601) }
        return .object(object)
    }

    /// Reads what ``persistedJSON()`` writes and refuses calls that could not have existed: fewer
    /// than two participants, a caller who is not the first participant, a user named twice, an
    /// answer attributed to the caller or to someone not invited.
    public init(persisted value: JSON) throws(PersistenceError) {
        let fields = try PersistedObject(value)
        let callId = try fields.string("callId")
        let from = try fields.string("from")
        var participants: [Participant] = []
        for (index, element) in try fields.array("participants").enumerated() {
            do throws(PersistenceError) {
                let participant = try PersistedObject(element)
                participants.append(
                    Participant(
                        userId: try participant.string("userId"),
                        state: try participant.value("state", as: Participant.State.self)))
            } catch {
                throw error.inside("participants[\(index)]")
            }
        }
        let userIds = participants.map(\.userId)
        guard !callId.isEmpty else { throw .invalid("callId", "a call id must not be empty") }
        guard userIds.count >= 2, userIds.first == from, Set(userIds).count == userIds.count else {
            throw .invalid("participants", "must be at least two users, caller first, each named once")
        }
        let answeredBy = try fields.optionalString("answeredBy")
        if let answeredBy, answeredBy == from || !userIds.contains(answeredBy) {
            throw .invalid("answeredBy", "the answer must come from an invited callee")
        }
        self.init(
            callId: callId, from: from, participants: participants,
            media: try fields.value("media", as: Media.self),
            metadata: fields.optional("metadata"),
            offer: fields.optional("offer"),
            createdAt: try fields.timestamp("createdAt"),
            answeredAt: try fields.optionalTimestamp("answeredAt"),
            answer: fields.optional("answer"),
            answeredBy: answeredBy,
            callerAwaitsAnswer: try fields.bool("callerAwaitsAnswer", default: false),
            ringDeadline: try fields.optionalTimestamp("ringDeadline"))
    }
}
