import DialtoneJSON

extension LiveCall: Codable {
    private enum CodingKeys: String, CodingKey {
        case callId, from, participants, media, metadata, offer, createdAt, answeredAt, answer, answeredBy
        case callerAwaitsAnswer, ringDeadline
    }

    private struct PersistedParticipant: Codable {
        let userId: UserID
        let state: Participant.State
    }

    /// Reads what `encode(to:)` writes and refuses calls that could not have existed: fewer than
    /// two participants, a caller who is not the first participant, a user named twice, an answer
    /// attributed to the caller or to someone not invited.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let callId = try container.decode(String.self, forKey: .callId)
        let from = try container.decode(UserID.self, forKey: .from)
        let participants = try container.decode([PersistedParticipant].self, forKey: .participants)
        let userIds = participants.map(\.userId)
        guard !callId.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .callId, in: container, debugDescription: "a call id must not be empty")
        }
        guard userIds.count >= 2, userIds.first == from, Set(userIds).count == userIds.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .participants, in: container,
                debugDescription: "participants must be at least two users, caller first, each named once")
        }
        let answeredBy = try container.decodeIfPresent(UserID.self, forKey: .answeredBy)
        if let answeredBy, answeredBy == from || !userIds.contains(answeredBy) {
            throw DecodingError.dataCorruptedError(
                forKey: .answeredBy, in: container, debugDescription: "the answer must come from an invited callee")
        }
        self.init(
            callId: callId, from: from,
            participants: participants.map { Participant(userId: $0.userId, state: $0.state) },
            media: try container.decode(Media.self, forKey: .media),
            metadata: try container.decodeIfPresent(JSON.self, forKey: .metadata),
            offer: try container.decodeIfPresent(JSON.self, forKey: .offer),
            createdAt: try container.decode(Timestamp.self, forKey: .createdAt),
            answeredAt: try container.decodeIfPresent(Timestamp.self, forKey: .answeredAt),
            answer: try container.decodeIfPresent(JSON.self, forKey: .answer),
            answeredBy: answeredBy,
            callerAwaitsAnswer: try container.decodeIfPresent(Bool.self, forKey: .callerAwaitsAnswer) ?? false,
            ringDeadline: try container.decodeIfPresent(Timestamp.self, forKey: .ringDeadline))
    }

    /// Device bindings and reconnect deadlines are left out: they mean nothing after a restart.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(callId, forKey: .callId)
        try container.encode(from, forKey: .from)
        try container.encode(
            participants.map { PersistedParticipant(userId: $0.userId, state: $0.state) }, forKey: .participants)
        try container.encode(media, forKey: .media)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        try container.encodeIfPresent(offer, forKey: .offer)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(answeredAt, forKey: .answeredAt)
        try container.encodeIfPresent(answer, forKey: .answer)
        try container.encodeIfPresent(answeredBy, forKey: .answeredBy)
        if callerAwaitsAnswer { try container.encode(true, forKey: .callerAwaitsAnswer) }
        try container.encodeIfPresent(ringDeadline, forKey: .ringDeadline)
    }
}
