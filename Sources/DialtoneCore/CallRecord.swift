import DialtoneJSON

/// An ended call as kept in history and served by `/history`.
public struct CallRecord: Sendable, Equatable {
    public let callId: String
    /// The caller.
    public let from: UserID
    /// Every invited user, caller first.
    public let participants: [UserID]
    public let media: Media
    /// Always `ended` for a record; kept because the wire format has it.
    public let status: CallState
    public let endReason: EndReason
    public let createdAt: Timestamp
    public let answeredAt: Timestamp?
    public let endedAt: Timestamp

    public init(
        callId: String, from: UserID, participants: [UserID], media: Media, endReason: EndReason,
        createdAt: Timestamp, answeredAt: Timestamp?, endedAt: Timestamp
    ) {
        self.callId = callId
        self.from = from
        self.participants = participants
        self.media = media
        self.status = .ended
        self.endReason = endReason
        self.createdAt = createdAt
        self.answeredAt = answeredAt
        self.endedAt = endedAt
    }

    /// Milliseconds from answer to end; 0 if never answered.
    public var durationMilliseconds: Int64 {
        answeredAt.map { endedAt.milliseconds(since: $0) } ?? 0
    }

    /// Seconds from answer to end with millisecond precision; 0 if never answered.
    public var duration: Double { Double(durationMilliseconds) / 1000 }

    /// `{callId, from, participants, media, status, endReason, createdAt, answeredAt, endedAt,
    /// duration}` in that order; times ISO-8601 UTC with milliseconds, `answeredAt` null when never
    /// answered, `duration` in seconds.
    public func toJSON() -> JSON {
        [
            "callId": .string(callId),
            "from": .string(from),
            "participants": .array(participants.map { .string($0) }),
            "media": .string(media.rawValue),
            "status": .string(status.rawValue),
            "endReason": .string(endReason.rawValue),
            "createdAt": .string(createdAt.iso8601),
            "answeredAt": answeredAt.map { .string($0.iso8601) } ?? .null,
            "endedAt": .string(endedAt.iso8601),
            "duration": .number(JSONNumber(duration)),
        ]
    }
}
