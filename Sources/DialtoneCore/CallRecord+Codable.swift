extension CallRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case callId, from, participants, media, status, endReason, createdAt, answeredAt, endedAt, duration
    }

    /// Reads what `encode(to:)` writes; `duration` is derived from the times and not trusted from
    /// the input, and a record whose times or participants contradict each other is refused.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let callId = try container.decode(String.self, forKey: .callId)
        let from = try container.decode(UserID.self, forKey: .from)
        let participants = try container.decode([UserID].self, forKey: .participants)
        let status = try container.decode(CallState.self, forKey: .status)
        let createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
        let answeredAt = try container.decodeIfPresent(Timestamp.self, forKey: .answeredAt)
        let endedAt = try container.decode(Timestamp.self, forKey: .endedAt)
        guard !callId.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .callId, in: container, debugDescription: "a call id must not be empty")
        }
        guard participants.count >= 2, participants.first == from, Set(participants).count == participants.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .participants, in: container,
                debugDescription: "participants must be at least two users, caller first, each named once")
        }
        guard status == .ended else {
            throw DecodingError.dataCorruptedError(
                forKey: .status, in: container, debugDescription: "a history record's status is \"ended\"")
        }
        self.init(
            callId: callId, from: from, participants: participants,
            media: try container.decode(Media.self, forKey: .media),
            endReason: try container.decode(EndReason.self, forKey: .endReason),
            createdAt: createdAt, answeredAt: answeredAt, endedAt: endedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(callId, forKey: .callId)
        try container.encode(from, forKey: .from)
        try container.encode(participants, forKey: .participants)
        try container.encode(media, forKey: .media)
        try container.encode(status, forKey: .status)
        try container.encode(endReason, forKey: .endReason)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(answeredAt, forKey: .answeredAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(duration, forKey: .duration)
    }
}
