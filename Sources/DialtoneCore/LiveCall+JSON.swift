import DialtoneJSON

extension LiveCall {
    /// The call as the register ack's `calls` and the control interface show it:
    /// `{callId, from, participants, media, state, offer, answer, answeredBy, metadata, createdAt,
    /// answeredAt, ringDeadline, participantStates: [{userId, state, reconnectDeadline}]}`, times in
    /// ISO-8601 and null when unset. It carries the offer so a device registering during ringing can
    /// answer, and the answer so a caller resuming an accepted call can finish negotiating.
    public func toJSON() -> JSON {
        [
            "callId": .string(callId),
            "from": .string(from),
            "participants": .array(participants.map { .string($0.userId) }),
            "media": .string(media.rawValue),
            "state": .string(state.rawValue),
            "offer": offer ?? .null,
            "answer": answer ?? .null,
            "answeredBy": answeredBy.map { .string($0) } ?? .null,
            "metadata": metadata ?? .null,
            "createdAt": .string(createdAt.iso8601),
            "answeredAt": answeredAt.map { .string($0.iso8601) } ?? .null,
            "ringDeadline": ringDeadline.map { .string($0.iso8601) } ?? .null,
            "participantStates": .array(
                participants.map { participant in
                    [
                        "userId": .string(participant.userId),
                        "state": .string(participant.state.rawValue),
                        "reconnectDeadline": participant.reconnectDeadline.map { .string($0.iso8601) } ?? .null,
                    ]
                }),
        ]
    }
}
